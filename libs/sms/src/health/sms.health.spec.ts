import { Injectable, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsConfigurationError, SmsError } from '../errors';
import {
  type ProviderCallOptions,
  type ProviderSendResult,
  type SmsCapability,
  type SmsModuleOptions,
  type SmsProvider,
} from '../interfaces';
import { SmsModule } from '../sms.module';
import { SmsHealthIndicator } from './sms.health';
import { SmsHealthModule } from './sms-health.module';
import { type SmsHealthModuleOptions } from './sms-health-options.interface';

/** What the scripted driver does on `getBalance`; tests replace it. */
const script = {
  calls: 0,
  signals: [] as AbortSignal[],
  answer: (_options: ProviderCallOptions): Promise<number> => Promise.resolve(500),
};

class ScriptedDriver implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send', 'balance'];
  async send(): Promise<ProviderSendResult> {
    return { messages: [] };
  }
  getBalance(options: ProviderCallOptions = {}): Promise<number> {
    script.calls++;
    if (options.signal) script.signals.push(options.signal);
    return script.answer(options);
  }
}

class SendOnlyDriver implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send'];
  async send(): Promise<ProviderSendResult> {
    return { messages: [] };
  }
}

const never = () => new Promise<number>(() => undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const smsOptions: SmsModuleOptions = {
  providers: { main: { driver: ScriptedDriver }, plain: { driver: SendOnlyDriver } },
};

async function boot(health: SmsHealthModuleOptions = {}, sms: SmsModuleOptions | null = smsOptions) {
  const moduleRef = await Test.createTestingModule({
    imports: [...(sms ? [SmsModule.forRoot(sms)] : []), SmsHealthModule.forRoot(health)],
  }).compile();
  await moduleRef.init();
  return { moduleRef, indicator: moduleRef.get(SmsHealthIndicator) };
}

describe('SmsHealthIndicator', () => {
  let moduleRef: TestingModule | undefined;

  beforeEach(() => {
    script.calls = 0;
    script.signals = [];
    script.answer = () => Promise.resolve(500);
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  it('is up with the figures, and reuses the answer within cacheTtlMs', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    const first = await indicator.isHealthy('sms', { minBalance: 100 });
    expect(first.sms).toMatchObject({
      status: 'up',
      provider: 'main',
      balance: 500,
      threshold: 100,
      cached: false,
    });
    const second = await indicator.isHealthy('sms', { minBalance: 600 });
    expect(second.sms).toMatchObject({
      status: 'down',
      reason: 'low_balance',
      balance: 500,
      threshold: 600,
      cached: true,
    });
    expect(script.calls).toBe(1);
  });

  it('asks again once the cache expires (cacheTtlMs: 0), concurrent probes still sharing one call', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot({ cacheTtlMs: 0 }));
    script.answer = () => sleep(30).then(() => 500);
    const results = await Promise.all(Array.from({ length: 20 }, () => indicator.isHealthy('sms')));
    expect(results.map((r) => r.sms.status)).toEqual(Array(20).fill('up'));
    expect(script.calls).toBe(1);
    await indicator.isHealthy('sms');
    expect(script.calls).toBe(2);
  });

  it('answers timeout within timeoutMs and aborts the call', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    script.answer = never;
    const started = Date.now();
    const result = await indicator.isHealthy('sms', { timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(250);
    expect(result.sms).toMatchObject({ status: 'down', reason: 'timeout', code: 'TIMEOUT' });
    expect(script.signals[0].aborted).toBe(true);
  });

  it('a probe with a shorter timeoutMs than the check it joins still answers in its own time', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    script.answer = () => sleep(400).then(() => 500);
    const slow = indicator.isHealthy('sms', { timeoutMs: 1_000 });
    const started = Date.now();
    const quick = await indicator.isHealthy('sms', { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(200);
    expect(quick.sms).toMatchObject({ reason: 'timeout', cached: false });
    expect((await slow).sms).toMatchObject({ status: 'up', balance: 500 });
    expect(script.calls).toBe(1);
  });

  it('never asks again while a driver that ignores its signal still hangs', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot({ cacheTtlMs: 0 }));
    script.answer = never;
    for (let i = 0; i < 4; i++) {
      const result = await indicator.isHealthy('sms', { timeoutMs: 30 });
      expect(result.sms).toMatchObject({ reason: 'timeout' });
    }
    expect(script.calls).toBe(1);
  });

  it('maps failures to reasons without copying the raw error', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot({ cacheTtlMs: 0 }));
    script.answer = () =>
      Promise.reject(new SmsError('main: HTTP 401, refused', { code: 'AUTH', provider: 'main' }));
    expect((await indicator.isHealthy('sms')).sms).toMatchObject({ reason: 'auth', code: 'AUTH' });
    script.answer = () => Promise.reject(new SmsError('slow', { code: 'TIMEOUT', outcome: 'unknown' }));
    expect((await indicator.isHealthy('sms')).sms).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
    script.answer = () => Promise.reject(new Error('connect to https://user:hunter2@gateway failed'));
    const raw = await indicator.isHealthy('sms');
    expect(raw.sms).toMatchObject({ reason: 'unreachable', code: 'UNKNOWN' });
    expect(JSON.stringify(raw)).not.toContain('hunter2');
    script.answer = () => Promise.resolve(Number.NaN);
    expect((await indicator.isHealthy('sms')).sms).toMatchObject({
      reason: 'unreachable',
      code: 'BAD_RESPONSE',
    });
  });

  it('is misconfigured, never throwing, for an unknown provider, a driver without balance, or bad options', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    expect((await indicator.isHealthy('sms', { provider: 'nope' })).sms).toMatchObject({
      status: 'down',
      reason: 'misconfigured',
      message: 'provider "nope" is not configured (main, plain)',
    });
    expect((await indicator.isHealthy('sms', { provider: 'plain' })).sms).toMatchObject({
      reason: 'misconfigured',
    });
    expect((await indicator.isHealthy('sms', { minBalance: Number.NaN })).sms).toMatchObject({
      reason: 'misconfigured',
    });
    expect((await indicator.isHealthy('sms', { timeoutMs: 0 })).sms).toMatchObject({
      reason: 'misconfigured',
    });
    expect(script.calls).toBe(0);
  });

  it('isConfigured is in-process: up with the providers, never calling a provider', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    script.answer = never;
    expect(indicator.isConfigured('sms').sms).toEqual({
      status: 'up',
      providers: ['main', 'plain'],
      defaultProvider: 'main',
      circuits: { main: 'closed', plain: 'closed' },
    });
    expect(indicator.isConfigured('sms', { provider: 'gone' }).sms).toMatchObject({
      status: 'down',
      reason: 'misconfigured',
    });
    expect(script.calls).toBe(0);
  });

  it('is down (misconfigured) in an application without SmsModule', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot({}, null));
    expect(indicator.isConfigured('sms').sms).toMatchObject({ status: 'down', reason: 'misconfigured' });
    expect((await indicator.isHealthy('sms')).sms).toMatchObject({
      status: 'down',
      reason: 'misconfigured',
      message: 'SmsModule is not registered in this application',
    });
  });

  it('refreshes in the background only when asked, and stops on shutdown', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot({ refreshIntervalMs: 40 }));
    await sleep(120);
    expect(script.calls).toBe(0);
    await indicator.isHealthy('sms');
    await sleep(150);
    expect(script.calls).toBeGreaterThanOrEqual(3);
    await moduleRef.close();
    moduleRef = undefined;
    const atClose = script.calls;
    await sleep(150);
    expect(script.calls).toBe(atClose);
  });

  it('ends a check in flight on shutdown', async () => {
    let indicator: SmsHealthIndicator;
    ({ moduleRef, indicator } = await boot());
    script.answer = never;
    const pending = indicator.isHealthy('sms', { timeoutMs: 5_000 });
    await sleep(10);
    await moduleRef.close();
    moduleRef = undefined;
    expect((await pending).sms).toMatchObject({ reason: 'timeout' });
    expect(script.signals[0].aborted).toBe(true);
  });

  it('rejects module options that cannot work when the application starts', async () => {
    await expect(boot({ cacheTtlMs: -1 })).rejects.toBeInstanceOf(SmsConfigurationError);
    await expect(boot({ timeoutMs: 0 })).rejects.toThrow('"timeoutMs"');
    await expect(boot({ refreshIntervalMs: Number.NaN })).rejects.toThrow('"refreshIntervalMs"');
  });

  it('registers through forRootAsync, and as a plain provider beside TerminusModule', async () => {
    @Injectable()
    class HealthSettings {
      createSmsHealthOptions(): SmsHealthModuleOptions {
        return { cacheTtlMs: 0 };
      }
    }
    const viaAsync = await Test.createTestingModule({
      imports: [SmsModule.forRoot(smsOptions), SmsHealthModule.forRootAsync({ useClass: HealthSettings })],
    }).compile();
    const asyncIndicator = viaAsync.get(SmsHealthIndicator);
    await asyncIndicator.isHealthy('sms');
    await asyncIndicator.isHealthy('sms');
    expect(script.calls).toBe(2);
    await viaAsync.close();

    @Module({ imports: [TerminusModule], providers: [SmsHealthIndicator], exports: [SmsHealthIndicator] })
    class OwnHealthModule {}
    const plain = await Test.createTestingModule({
      imports: [SmsModule.forRoot(smsOptions), OwnHealthModule],
    }).compile();
    expect((await plain.get(SmsHealthIndicator).isHealthy('sms')).sms).toMatchObject({ status: 'up' });
    await plain.close();
  });
});
