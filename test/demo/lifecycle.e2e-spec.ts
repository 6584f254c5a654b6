import request from 'supertest';
import { DemoConfigError } from '../../apps/demo/src/config/sms.config';
import { createLogger } from '../../apps/demo/src/logging/create-logger';
import { startDemo } from './demo-app';
import { SseClient } from './sse-client';

describe('demo lifecycle and logs', () => {
  it('refuses to start on bad settings, listing every one to fix and no secret', async () => {
    const error = await startDemo({
      SMS_PROVIDERS: 'main,backup',
      SMS_MAIN_DRIVER: 'smsru',
      SMS_MAIN_PASSWORD: 'hunter2-secret',
      SMS_MAIN_BASE_URL: 'not a url',
      SMS_FAILOVER: 'main,spare',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoConfigError);
    expect((error as DemoConfigError).problems).toEqual([
      'SMS_MAIN_BASE_URL must be an http(s) URL',
      'SMS_MAIN_API_ID (or SMS_MAIN_LOGIN and SMS_MAIN_PASSWORD) is required for the smsru driver',
      'SMS_BACKUP_DRIVER is missing: set it to memory, smsru, smspilot',
      'SMS_FAILOVER names "spare", which is not in SMS_PROVIDERS',
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('refuses to start on an OTLP endpoint that is not an http(s) URL, never repeating it', async () => {
    const error = await startDemo({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:s3cret-pass@otel:4317',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoConfigError);
    expect((error as DemoConfigError).problems).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/),
    ]);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('shuts down gracefully: requests in flight finish, open event streams end', async () => {
    const demo = await startDemo({}, { listen: true });
    const url = await demo.app.getUrl();
    const stream = await SseClient.open(`${url}/outbox/events`);
    demo.outbox.delay(300, { on: 'send' });
    const inFlight = request(url).post('/sms').send({ to: '+79255070602', text: 'last one' });
    const answer = new Promise<request.Response>((resolve, reject) => inFlight.then(resolve, reject));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the send is now waiting on the provider
    const started = Date.now();
    await demo.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await answer).status).toBe(201);
    expect(demo.outbox.texts()).toEqual(['last one']);
    await stream.until(() => stream.ended);
  });

  it('writes one JSON object a line: requests and SMS events, never a phone number or a text', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const demo = await startDemo({}, { logger: createLogger({ LOG_FORMAT: 'json' }) });
      await request(demo.app.getHttpServer())
        .post('/sms')
        .send({ to: '+79255070602', text: 'secret code 4821' })
        .expect(201);
      await demo.close();
    } finally {
      write.mockRestore();
    }
    const records = lines
      .flatMap((chunk) => chunk.split('\n').filter(Boolean))
      .map((line) => JSON.parse(line));
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'log',
          context: 'Http',
          message: expect.objectContaining({ method: 'POST', path: '/sms', status: 201 }),
        }),
        expect.objectContaining({
          context: 'SmsEvents',
          message: expect.objectContaining({
            event: 'sms.sent',
            provider: 'dev',
            recipients: 1,
            accepted: 1,
          }),
        }),
        expect.objectContaining({
          context: 'Lifecycle',
          message: expect.objectContaining({ msg: 'stopped' }),
        }),
      ]),
    );
    const all = lines.join('');
    expect(all).not.toContain('9255070602');
    expect(all).not.toContain('4821');
  });

  it('accepts only known log formats and levels', () => {
    expect(() => createLogger({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or text/);
    expect(() => createLogger({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});
