import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type SmsEvent, SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';
import { CapturingLogger } from '../reliability/log-capture';

/** The variables a proxy is read from, both spellings. */
const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

/**
 * Runs `fn` with these proxy variables set and every other one unset, then puts the environment
 * back as it was.
 */
export async function withProxyEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A booted `SmsModule`, its service, the events it emitted and every log line. */
export interface EgressApp {
  moduleRef: TestingModule;
  sms: SmsService;
  events: SmsEvent[];
  logs: CapturingLogger;
}

/** `SmsModule.forRoot(options)` with quick retries and no breaker, every log line captured. */
export async function bootEgress(
  options: Partial<SmsModuleOptions> & Pick<SmsModuleOptions, 'providers'>,
): Promise<EgressApp> {
  const logs = new CapturingLogger();
  Logger.overrideLogger(logs);
  const moduleRef = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
        circuitBreaker: false,
        timeoutMs: 2_000,
        ...options,
      }),
    ],
  })
    .setLogger(logs)
    .compile();
  await moduleRef.init();
  const sms = moduleRef.get(SmsService);
  const events: SmsEvent[] = [];
  sms.events$.subscribe((e) => events.push(e));
  return { moduleRef, sms, events, logs };
}
