import { type INestApplication } from '@nestjs/common';
import { SmsService } from 'nestjs-sms';
import { SmsHealthIndicator } from 'nestjs-sms/health';
import request from 'supertest';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { bootHealthApp } from '../health/health-app';
import { OtelKit } from './otel-kit';

describe('telemetry of circuit breakers and health checks', () => {
  const otel = new OtelKit();
  let fake: SmsRuFake;
  let app: INestApplication;
  let sms: SmsService;

  beforeAll(async () => {
    otel.start();
    fake = await SmsRuFake.start();
    app = await bootHealthApp({
      sms: {
        providers: { main: fake.providerConfig() },
        retry: false,
        circuitBreaker: { threshold: 2, halfOpenAfterMs: 60_000 },
      },
    });
    sms = app.get(SmsService);
  });

  afterAll(async () => {
    await app.close();
    await fake.close();
    await otel.stop();
  });

  it('health checks are counted by provider and status', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    await app.get(SmsHealthIndicator).isHealthy('sms', { minBalance: 1_000_000 });
    expect(await otel.value('sms.health.checks', { 'sms.provider': 'main', 'sms.health.status': 'up' })).toBe(
      1,
    );
    expect(
      await otel.value('sms.health.checks', { 'sms.provider': 'main', 'sms.health.status': 'down' }),
    ).toBe(1);
  });

  it('a breaker that opens shows in sms.circuit.state (2) and sms.circuit.transitions', async () => {
    await sms.send({ to: '+79255070602', text: 'Hello' });
    expect(await otel.value('sms.circuit.state', { 'sms.provider': 'main' })).toBe(0);
    fake.server.script({ status: 503 }, { status: 503 });
    for (let i = 0; i < 2; i++) await sms.send({ to: '+79255070602', text: 'Hello' }).catch(() => undefined);
    expect(sms.circuitState('main')).toBe('open');
    expect(await otel.value('sms.circuit.state', { 'sms.provider': 'main' })).toBe(2);
    expect(
      await otel.value('sms.circuit.transitions', { 'sms.provider': 'main', 'sms.circuit.to': 'open' }),
    ).toBe(1);
    const skipped = await sms.send({ to: '+79255070602', text: 'Hello' }).catch((e: unknown) => e);
    expect(skipped).toMatchObject({ code: 'UNAVAILABLE' });
    const attempts = otel.spans().filter((s) => s.name === 'sms.attempt');
    expect(attempts.at(-1)!.attributes).toMatchObject({
      'sms.result': 'unavailable',
      'error.type': 'UNAVAILABLE',
    });
    expect(otel.spans().filter((s) => s.name === 'POST')).toHaveLength(4);
  });
});
