import { SmsModule } from 'nestjs-sms';

export const sms = SmsModule.forRoot({
  providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } },
  retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000 }, // the defaults; `false` switches retries off
  timeoutMs: 10_000, // per HTTP request, connect and response
  sendTimeoutMs: 30_000, // overall deadline of one call, retries and failover included
  maxConcurrency: 16, // requests in flight per provider (a burst of 10 000 sends opens at most 16 sockets)
});
