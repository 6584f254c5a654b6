import { NestFactory } from '@nestjs/core';
import { SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';

/** A running `SmsModule` for the benchmark. */
export interface SmsApp {
  sms: SmsService;
  close(): Promise<void>;
}

/**
 * Boots `SmsModule.forRoot(options)` in a Nest application context, as an application would, with
 * the logger at `error`/`warn` (a production setting: the debug line of every send is not printed).
 */
export async function startSms(options: SmsModuleOptions): Promise<SmsApp> {
  const app = await NestFactory.createApplicationContext(SmsModule.forRoot(options), {
    logger: ['error', 'warn'],
  });
  return { sms: app.get(SmsService), close: () => app.close() };
}

/** The api_id the benchmark sends (the fake accepts any). */
export const BENCH_API_ID = 'bench-api-id-0123456789';
