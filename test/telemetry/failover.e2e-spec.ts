import { type TestingModule } from '@nestjs/testing';
import { SmsError, SmsRuProvider, SmsService } from 'nestjs-sms';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { createSmsModule } from '../smsru/smsru-app';
import { OtelKit, spanTree } from './otel-kit';

const SHOWN = [
  'sms.provider',
  'sms.attempt',
  'sms.result',
  'error.type',
  'http.request.resend_count',
  'http.response.status_code',
];

describe('telemetry of a send: transport retry, failover, refusal', () => {
  const otel = new OtelKit();
  let main: SmsRuFake;
  let backup: SmsPilotFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeAll(async () => {
    otel.start();
    [main, backup] = await Promise.all([
      SmsRuFake.start(),
      SmsPilotFake.start({ apiKey: 'pilot-key-0123456789' }),
    ]);
    moduleRef = await createSmsModule({
      providers: {
        main: main.providerConfig(),
        backup: { driver: 'smspilot', apiKey: 'pilot-key-0123456789', baseUrl: backup.url },
      },
      failover: ['main', 'backup'],
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      circuitBreaker: false,
    });
    sms = moduleRef.get(SmsService);
  });

  afterAll(async () => {
    await moduleRef.close();
    await Promise.all([main.close(), backup.close()]);
    await otel.stop();
  });

  beforeEach(() => {
    main.reset();
    backup.requests.length = 0;
    otel.reset();
  });

  it('a 503, its retry (503 again) and the failover to backup make one tree', async () => {
    main.server.script({ status: 503, body: 'busy' }, { status: 503, body: 'busy' });
    const result = await sms.send({ to: '+79255070602', text: 'Hello' });

    expect(result.provider).toBe('backup');
    expect(main.requestsTo('sms/send')).toHaveLength(2);
    expect(spanTree(otel.spans(), SHOWN)).toEqual([
      'sms.send [sms.provider=main sms.result=accepted]',
      '  sms.attempt [sms.provider=main sms.attempt=1 sms.result=unavailable error.type=UNAVAILABLE] ERROR',
      '    POST [sms.provider=main error.type=UNAVAILABLE http.response.status_code=503] ERROR',
      '    POST [sms.provider=main error.type=UNAVAILABLE http.request.resend_count=1 http.response.status_code=503] ERROR',
      '  sms.attempt [sms.provider=backup sms.attempt=2 sms.result=accepted]',
      '    POST [sms.provider=backup http.response.status_code=200]',
    ]);
    const [call] = otel.spans().filter((s) => s.name === 'sms.send');
    expect(call.attributes).toMatchObject({
      'sms.operation': 'send',
      'sms.driver': 'smsru',
      'sms.recipients': 1,
      'sms.segments': 1,
      'sms.encoding': 'gsm7',
    });
    const post = otel.spans().find((s) => s.name === 'POST')!;
    expect(post.kind).toBe(2);
    expect(post.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': main.server.port,
      'url.path': '/sms/send',
    });

    expect(await otel.value('sms.retries', { 'sms.provider': 'main', 'error.type': 'UNAVAILABLE' })).toBe(1);
    expect(
      await otel.value('sms.failovers', {
        'sms.provider': 'main',
        'sms.failover.to': 'backup',
        'error.type': 'UNAVAILABLE',
      }),
    ).toBe(1);
    expect(await otel.value('sms.messages', { 'sms.provider': 'main', 'sms.result': 'unavailable' })).toBe(1);
    expect(await otel.value('sms.messages', { 'sms.provider': 'backup', 'sms.result': 'accepted' })).toBe(1);
    expect(await otel.value('sms.segments', { 'sms.provider': 'backup' })).toBe(1);
    expect(result.cost).toBeGreaterThan(0);
    expect(await otel.value('sms.cost', { 'sms.provider': 'backup' })).toBe(result.cost);
    const durations = await otel.points('sms.provider.request.duration');
    expect(durations.map((p) => [p.attributes, (p.value as { count: number }).count])).toEqual(
      expect.arrayContaining([
        [{ 'sms.provider': 'main', 'sms.operation': 'send', 'sms.result': 'unavailable' }, 1],
        [{ 'sms.provider': 'backup', 'sms.operation': 'send', 'sms.result': 'accepted' }, 1],
      ]),
    );
  });

  it('a refusal stays at the provider: one attempt, one HTTP span, an ERROR call span', async () => {
    main.failRequests('sms/send', 203, 1);
    const error = (await sms
      .send({ to: '+79255070603', text: 'Hello' })
      .catch((e: unknown) => e)) as SmsError;

    expect(error).toBeInstanceOf(SmsError);
    expect(backup.requests).toHaveLength(0);
    const tree = spanTree(otel.spans(), ['sms.provider', 'sms.attempt', 'error.type', 'sms.error.failure']);
    expect(tree).toEqual([
      `sms.send [sms.provider=main error.type=${error.code} sms.error.failure=${error.failure}] ERROR`,
      `  sms.attempt [sms.provider=main sms.attempt=1 error.type=${error.code} sms.error.failure=${error.failure}] ERROR`,
      '    POST [sms.provider=main]',
    ]);
    expect(error.failure).toBe('refused');
    const call = otel.spans().find((s) => s.name === 'sms.send')!;
    expect(call.events.map((e) => e.attributes)).toEqual([
      { 'exception.type': error.code, 'exception.message': `${error.code} (${error.failure})` },
    ]);
  });

  it('reads get their own call spans', async () => {
    await sms.getBalance({ provider: 'main' });
    await sms.getCost({ to: '+79255070602', text: 'Hello', provider: 'main' });
    const tree = spanTree(otel.spans(), ['sms.operation']);
    expect(tree).toEqual([
      'sms.get_balance [sms.operation=get_balance]',
      '  POST',
      'sms.get_cost [sms.operation=get_cost]',
      '  POST',
    ]);
    expect(moduleRef.get(SmsService).driver('main', SmsRuProvider)).toBeInstanceOf(SmsRuProvider);
  });

  it('reads are measured in sms.provider.request.duration by operation and result', async () => {
    // Metrics are cumulative over the file: compare the counts before and after.
    const counts = async () =>
      Object.fromEntries(
        (await otel.points('sms.provider.request.duration'))
          .filter((p) => p.attributes['sms.operation'] !== 'send')
          .map((p) => [
            `${String(p.attributes['sms.operation'])}/${String(p.attributes['sms.result'])}`,
            (p.value as { count: number }).count,
          ]),
      ) as Record<string, number>;
    const before = await counts();
    await sms.getBalance({ provider: 'main' });
    await sms.getCost({ to: '+79255070602', text: 'Hello', provider: 'main' });
    const [sent] = (await sms.send({ to: '+79255070602', text: 'Hello', provider: 'main' })).messages;
    await sms.getStatus(sent.id!, { provider: 'main' });
    main.failRequests('my/balance', 220, 10);
    await expect(sms.getBalance({ provider: 'main' })).rejects.toMatchObject({ failure: 'unavailable' });
    const after = await counts();
    const added = Object.fromEntries(
      Object.entries(after)
        .map(([key, n]) => [key, n - (before[key] ?? 0)])
        .filter(([, n]) => n !== 0),
    );
    expect(added).toEqual({
      'get_balance/accepted': 1,
      'get_balance/unavailable': 1,
      'get_cost/accepted': 1,
      'get_status/accepted': 1,
    });
    const [point] = (await otel.points('sms.provider.request.duration')).filter(
      (p) => p.attributes['sms.operation'] === 'get_status',
    );
    expect(point.attributes).toEqual({
      'sms.provider': 'main',
      'sms.operation': 'get_status',
      'sms.result': 'accepted',
    });
  });
});
