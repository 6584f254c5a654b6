import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom, take, toArray } from 'rxjs';
import { SmsError } from '../errors';
import { type SmsEvent } from '../events';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsModuleOptions,
  type SmsProvider,
} from '../interfaces';
import { SmsModule } from '../sms.module';
import { SmsService } from '../sms.service';

type Behaviour = 'ok' | SmsError | ((request: ProviderSendRequest) => Promise<ProviderSendResult>);

/** A driver whose answers a test scripts; it counts every call. */
abstract class ScriptedProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send', 'batch', 'status'];
  calls: ProviderSendRequest[] = [];
  script: Behaviour[] = [];
  fallback: Behaviour = 'ok';

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    this.calls.push(request);
    const next = this.script.shift() ?? this.fallback;
    if (next instanceof SmsError) throw next;
    if (typeof next === 'function') return next(request);
    return {
      messages: request.messages.map((m, i) => ({
        to: m.to,
        text: m.text,
        accepted: true,
        id: `${this.constructor.name}-${this.calls.length}-${i}`,
        status: 'queued' as const,
        segments: m.segments.segments,
      })),
    };
  }
}

@Injectable()
class MainProvider extends ScriptedProvider {}
@Injectable()
class BackupProvider extends ScriptedProvider {}

const outage = () =>
  new SmsError('main: cannot connect', { code: 'UNAVAILABLE', retryable: true, provider: 'main' });
const unknown = () =>
  new SmsError('main: timeout', { code: 'TIMEOUT', outcome: 'unknown', provider: 'main' });
const to = '+7 925 507-06-02';

async function setup(extra: Partial<SmsModuleOptions> = {}) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        providers: { main: { driver: MainProvider }, backup: { driver: BackupProvider } },
        failover: ['main', 'backup'],
        ...extra,
      }),
    ],
  }).compile();
  await moduleRef.init();
  const sms = moduleRef.get(SmsService);
  return {
    moduleRef,
    sms,
    main: sms.driver('main', MainProvider),
    backup: sms.driver('backup', BackupProvider),
  };
}

describe('routing: failover and circuit breakers', () => {
  it('fails over a not-sent outage to the next provider and records each attempt', async () => {
    const { sms, main, backup } = await setup();
    main.script = [outage()];
    const events: SmsEvent[] = [];
    sms.events$.subscribe((e) => events.push(e));
    const result = await sms.send({ to, text: 'hello' });
    expect(result.provider).toBe('backup');
    expect(main.calls).toHaveLength(1);
    expect(backup.calls).toHaveLength(1);
    expect(result.attempts.map((a) => [a.provider, a.result])).toEqual([
      ['main', 'failed'],
      ['backup', 'sent'],
    ]);
    expect(result.messages[0]).toMatchObject({ accepted: true, provider: 'backup' });
    expect(events.map((e) => e.type)).toEqual(['failed', 'failover', 'sent']);
  });

  it('never fails over an unknown outcome', async () => {
    const { sms, main, backup } = await setup();
    main.script = [unknown()];
    const err = (await sms.send({ to, text: 'hello' }).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
    expect(err.attempts).toHaveLength(1);
    expect(backup.calls).toHaveLength(0);
    expect(main.calls).toHaveLength(1);
  });

  it('does not fail over a refusal of the content', async () => {
    const { sms, main, backup } = await setup();
    main.script = [new SmsError('bad text', { code: 'CONTENT_REJECTED', provider: 'main' })];
    await expect(sms.send({ to, text: 'hello' })).rejects.toMatchObject({ code: 'CONTENT_REJECTED' });
    expect(backup.calls).toHaveLength(0);
  });

  it('hands only the recipients a provider could not take to the next one', async () => {
    const { sms, main, backup } = await setup();
    main.script = [
      async (request) => ({
        messages: request.messages.map((m, i) =>
          i === 1
            ? {
                to: m.to,
                text: m.text,
                accepted: false,
                status: 'failed' as const,
                segments: 1,
                error: {
                  code: 'UNAVAILABLE' as const,
                  message: 'chunk failed',
                  outcome: 'not_sent' as const,
                },
              }
            : { to: m.to, text: m.text, accepted: true, id: `m${i}`, status: 'queued' as const, segments: 1 },
        ),
      }),
    ];
    const result = await sms.send({ to: ['+79255070602', '+79255070603', '+79255070604'], text: 'hi' });
    expect(backup.calls).toHaveLength(1);
    expect(backup.calls[0].messages.map((m) => m.to)).toEqual(['79255070603']);
    expect(result.messages.map((m) => [m.to, m.accepted, m.provider])).toEqual([
      ['79255070602', true, 'main'],
      ['79255070603', true, 'backup'],
      ['79255070604', true, 'main'],
    ]);
  });

  it('counts outages for the breaker by class: unknown and unavailable do, refusals and account errors do not', async () => {
    const { sms, main } = await setup({ circuitBreaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    const refused = new SmsError('flood', { code: 'RATE_LIMITED', provider: 'main', retryAfterSeconds: 60 });
    const account = new SmsError('no money', { code: 'INSUFFICIENT_FUNDS', provider: 'main' });
    main.script = [refused, refused, refused, account, account];
    for (let i = 0; i < 5; i++) await sms.send({ to, text: `r${i}` }).catch(() => undefined);
    expect(sms.circuitState('main')).toBe('closed');
    main.script = [unknown(), unknown()];
    for (let i = 0; i < 2; i++) await sms.send({ to, text: `u${i}` }).catch(() => undefined);
    expect(sms.circuitState('main')).toBe('open');
  });

  it('classes a driver exception that is not an SmsError as unknown: no failover', async () => {
    const { sms, main, backup } = await setup();
    main.script = [
      async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    ];
    const err = (await sms.send({ to, text: 'hello' }).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'UNKNOWN', failure: 'unknown', outcome: 'unknown' });
    expect(err.attempts?.[0].error).toMatchObject({ code: 'UNKNOWN', failure: 'unknown' });
    expect(backup.calls).toHaveLength(0);
  });

  it('opens the breaker after consecutive outages and skips the provider until it half-opens', async () => {
    const { sms, main, backup } = await setup({ circuitBreaker: { threshold: 3, halfOpenAfterMs: 200 } });
    main.fallback = outage();
    const opened = firstValueFrom(sms.events$.pipe(take(100), toArray()));
    for (let i = 0; i < 3; i++) await sms.send({ to, text: `n${i}` });
    expect(sms.circuitState('main')).toBe('open');
    main.calls = [];
    const skipped = await sms.send({ to, text: 'skip' });
    expect(main.calls).toHaveLength(0);
    expect(skipped.provider).toBe('backup');
    expect(skipped.attempts[0]).toMatchObject({
      provider: 'main',
      result: 'skipped',
      error: { code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' },
    });

    await new Promise((r) => setTimeout(r, 250));
    main.fallback = 'ok';
    const probe = await sms.send({ to, text: 'probe' });
    expect(probe.provider).toBe('main');
    expect(sms.circuitState('main')).toBe('closed');
    expect(backup.calls).toHaveLength(4);
    void opened;
  });

  it('answers TIMEOUT (unknown) at the send deadline even when a driver ignores its signal', async () => {
    const { sms, main, backup } = await setup({ sendTimeoutMs: 150 });
    main.script = [() => new Promise(() => undefined)];
    const started = Date.now();
    await expect(sms.send({ to, text: 'hang' })).rejects.toMatchObject({
      code: 'TIMEOUT',
      outcome: 'unknown',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(backup.calls).toHaveLength(0);
  });
});

describe('guards: idempotency and anti-flood', () => {
  it('sends once for two concurrent calls and a later one with the same key', async () => {
    const { sms, main } = await setup();
    main.script = [
      async (request) => {
        await new Promise((r) => setTimeout(r, 50));
        return {
          messages: request.messages.map((m) => ({
            to: m.to,
            text: m.text,
            accepted: true,
            id: 'once',
            status: 'queued' as const,
            segments: 1,
          })),
        };
      },
    ];
    const [a, b] = await Promise.all([
      sms.send({ to, text: 'code 1', idempotencyKey: 'k1' }),
      sms.send({ to, text: 'code 1', idempotencyKey: 'k1' }),
    ]);
    const c = await sms.send({ to, text: 'code 1', idempotencyKey: 'k1' });
    expect(main.calls).toHaveLength(1);
    expect([a, b, c].map((r) => r.messages[0].id)).toEqual(['once', 'once', 'once']);
  });

  it('repeats the unknown outcome for the same key instead of sending again', async () => {
    const { sms, main } = await setup({ failover: [] });
    main.script = [unknown()];
    await expect(sms.send({ to, text: 'x', idempotencyKey: 'k2' })).rejects.toMatchObject({
      outcome: 'unknown',
    });
    await expect(sms.send({ to, text: 'x', idempotencyKey: 'k2' })).rejects.toMatchObject({
      outcome: 'unknown',
    });
    expect(main.calls).toHaveLength(1);
  });

  it('frees the key when the first call was provably not sent', async () => {
    const { sms, main } = await setup({ failover: [] });
    main.script = [outage()];
    await expect(sms.send({ to, text: 'x', idempotencyKey: 'k3' })).rejects.toMatchObject({
      outcome: 'not_sent',
    });
    await expect(sms.send({ to, text: 'x', idempotencyKey: 'k3' })).resolves.toMatchObject({
      provider: 'main',
    });
    expect(main.calls).toHaveLength(2);
  });

  it('refuses a second code to the same number within the minute, before any request', async () => {
    const { sms, main } = await setup({
      antiFlood: { perNumber: [{ max: 1, windowMs: 60_000 }], perIp: [{ max: 2, windowMs: 60_000 }] },
    });
    await sms.send({ to, text: 'code 1' });
    const err = (await sms.send({ to, text: 'code 2' }).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent' });
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(err.message).not.toContain('79255070602');
    expect(main.calls).toHaveLength(1);

    await sms.send({ to: '+79255070611', text: 'a', clientIp: '77.88.8.5' });
    await sms.send({ to: '+79255070612', text: 'b', clientIp: '77.88.8.5' });
    await expect(sms.send({ to: '+79255070613', text: 'c', clientIp: '77.88.8.5' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(main.calls).toHaveLength(3);
  });
});
