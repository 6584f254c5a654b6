/** The English text of each down reason (internal); none of them carries a provider's own words. */
export const SMS_HEALTH_MESSAGES = {
  unreachable: (provider: string, code: string) =>
    `SMS provider "${provider}" gave no usable answer (${code})`,
  auth: (provider: string) => `SMS provider "${provider}" refused the credentials`,
  timeout: (provider: string, latencyMs: number) =>
    `SMS provider "${provider}" did not answer within ${latencyMs} ms`,
  low_balance: (provider: string, balance: number, threshold: number) =>
    `SMS provider "${provider}" balance ${balance} RUB is under ${threshold} RUB`,
  circuit_open: (provider: string) =>
    `SMS provider "${provider}" is skipped by sends: its circuit breaker opened after repeated failures`,
  noModule: 'SmsModule is not registered in this application',
  noQueue: 'SmsQueueModule is not registered in this application',
  queueRedis: (queue: string, timeoutMs: number) =>
    `Redis of queue "${queue}" gave no answer within ${timeoutMs} ms (or refused the command)`,
  unknownProvider: (provider: string, known: string[]) =>
    `provider "${provider}" is not configured (${known.join(', ')})`,
  noBalance: (provider: string) => `provider "${provider}" cannot report a balance, so it cannot be probed`,
  noDriver: (provider: string) => `provider "${provider}" has no working driver`,
  unexpected: 'the check failed unexpectedly',
} as const;
