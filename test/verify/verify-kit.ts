import { type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type SmsModuleOptions, SmsModule } from 'nestjs-sms';
import {
  type SmsVerifyEvent,
  type SmsVerifyModuleOptions,
  SmsVerifyModule,
  SmsVerifyService,
} from 'nestjs-sms/verify';
import { type SmsRuFake } from '../fakes/smsru-fake.server';

/** The HMAC key of the tests. */
export const TEST_SECRET = 'verify-test-secret-7f3a9c1e5b2d4680aa';

/** A clock the tests move by hand. */
export class TestClock {
  constructor(public now = Date.UTC(2026, 11, 1, 10, 0, 0)) {}
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** An application with `SmsModule` on the SMS.ru fake and `SmsVerifyModule`. */
export interface VerifyApp {
  moduleRef: TestingModule;
  verify: SmsVerifyService;
  events: SmsVerifyEvent[];
  close(): Promise<void>;
}

/** Every event of every app the kit started, for the code scan. */
export const allEvents: SmsVerifyEvent[] = [];

/**
 * Boots `SmsModule` (one `smsru` provider on the fake) and `SmsVerifyModule` with these options,
 * through `forRootAsync` when `async` is set.
 */
export async function startVerifyApp(
  fake: SmsRuFake,
  options: Partial<SmsVerifyModuleOptions>,
  logger: LoggerService,
  extra: { sms?: Partial<SmsModuleOptions>; async?: boolean } = {},
): Promise<VerifyApp> {
  const verifyOptions: SmsVerifyModuleOptions = { secret: TEST_SECRET, ...options };
  const moduleRef = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({ providers: { main: fake.providerConfig() }, isGlobal: true, ...extra.sms }),
      extra.async
        ? SmsVerifyModule.forRootAsync({ useFactory: async () => verifyOptions })
        : SmsVerifyModule.forRoot(verifyOptions),
    ],
  })
    .setLogger(logger)
    .compile();
  await moduleRef.init();
  const verify = moduleRef.get(SmsVerifyService);
  const events: SmsVerifyEvent[] = [];
  verify.events$.subscribe((e) => {
    events.push(e);
    allEvents.push(e);
  });
  return { moduleRef, verify, events, close: () => moduleRef.close() };
}

/** The codes in the texts the fake received, oldest first (from the raw requests, accepted or not). */
export function codesAtFake(fake: SmsRuFake): string[] {
  return fake
    .requestsTo('sms/send')
    .flatMap((r) => [...r.form.entries()].filter(([k]) => k === 'msg' || /^(to|multi)\[/.test(k)))
    .map(([, text]) => /(?<!\d)(\d{4,10})(?!\d)/.exec(text)?.[1])
    .filter((c): c is string => c !== undefined);
}

/** How many send requests reached the fake. */
export function smsAtFake(fake: SmsRuFake): number {
  return fake.requestsTo('sms/send').length;
}
