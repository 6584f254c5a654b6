/** What the benchmark and its fake SMS.ru process (`fake-smsru.process.ts`) share. */

/** Messages between the benchmark and the fake's process. */
export type FakeSmsRuMessage =
  | { type: 'listening'; port: number }
  | { type: 'stats' }
  | { type: 'stats'; requests: number; sendRequests: number; numbers: number };

/** The number of the overhead runs, whose answer the fake builds once. */
export const OVERHEAD_NUMBER = '79255070602';
