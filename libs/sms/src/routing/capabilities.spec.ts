import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsConfigurationError, SmsError } from '../errors';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsModuleOptions,
  type SmsProvider,
} from '../interfaces';
import { SmsModule } from '../sms.module';
import { SmsService } from '../sms.service';

/** A driver that records each request and accepts every recipient. */
abstract class RecordingProvider implements SmsProvider {
  abstract readonly capabilities: readonly SmsCapability[];
  readonly requests: ProviderSendRequest[] = [];

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    this.requests.push(request);
    return {
      messages: request.messages.map((m, i) => ({
        to: m.to,
        text: m.text,
        accepted: true,
        id: `r-${i}`,
        status: 'queued' as const,
        segments: m.segments.segments,
      })),
    };
  }
}

@Injectable()
class SendOnlyProvider extends RecordingProvider {
  readonly capabilities: readonly SmsCapability[] = ['send'];
}

@Injectable()
class FullProvider extends RecordingProvider {
  readonly capabilities: readonly SmsCapability[] = ['send', 'testMode', 'clientIp'];
}

@Injectable()
class NoSendProvider extends RecordingProvider {
  readonly capabilities: readonly SmsCapability[] = ['status'];
}

const PHONE = '+7 925 507-06-02';

describe('declared capabilities are enforced', () => {
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function boot(options: SmsModuleOptions): Promise<SmsService> {
    moduleRef = await Test.createTestingModule({ imports: [SmsModule.forRoot(options)] }).compile();
    return moduleRef.get(SmsService);
  }

  it('test: true to a driver without testMode is UNSUPPORTED before any request', async () => {
    const sms = await boot({ providers: { own: { driver: SendOnlyProvider } } });
    const error = await sms.send({ to: PHONE, text: 'Hi', test: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED', provider: 'own', outcome: 'not_sent' });
    expect((error as Error).message).toBe('Provider "own" does not support testMode');
    expect(sms.driver('own', SendOnlyProvider).requests).toHaveLength(0);
  });

  it('test: false and no test reach a driver without testMode as a real send', async () => {
    const sms = await boot({ providers: { own: { driver: SendOnlyProvider } } });
    await sms.send({ to: PHONE, text: 'Hi', test: false });
    await sms.send({ to: PHONE, text: 'Hi again' });
    const requests = sms.driver('own', SendOnlyProvider).requests;
    expect(requests.map((r) => r.test)).toEqual([false, undefined]);
  });

  it('test: true reaches a driver with testMode', async () => {
    const sms = await boot({ providers: { own: { driver: FullProvider } } });
    await sms.send({ to: PHONE, text: 'Hi', test: true });
    expect(sms.driver('own', FullProvider).requests[0]).toMatchObject({ test: true });
  });

  it('a provider config with test: true for a driver without testMode fails at start', async () => {
    const error = await boot({ providers: { own: { driver: SendOnlyProvider, test: true } } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toMatch(
      /provider "own" \(SendOnlyProvider\): "test" is set, but the driver has no test mode/,
    );
  });

  it('clientIp reaches only a driver with the clientIp capability (it still feeds anti-flood)', async () => {
    const sms = await boot({
      providers: { plain: { driver: SendOnlyProvider }, full: { driver: FullProvider } },
      antiFlood: { perIp: [{ max: 1, windowMs: 60_000 }] },
    });
    await sms.send({ to: PHONE, text: 'Hi', clientIp: '8.8.8.8', provider: 'plain' });
    await sms.send({ to: '+7 925 507-06-03', text: 'Hi', clientIp: '1.1.1.1', provider: 'full' });
    expect(sms.driver('plain', SendOnlyProvider).requests[0].clientIp).toBeUndefined();
    expect(sms.driver('full', FullProvider).requests[0].clientIp).toBe('1.1.1.1');
    const limited = await sms
      .send({ to: '+7 925 507-06-04', text: 'Hi', clientIp: '8.8.8.8', provider: 'plain' })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('a driver whose capabilities lack send fails at start', async () => {
    const error = await boot({ providers: { own: { driver: NoSendProvider } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toMatch(/provider "own": NoSendProvider does not implement SmsProvider/);
  });
});
