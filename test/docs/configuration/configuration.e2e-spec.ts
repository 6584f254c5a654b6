import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { SMS_OPTION_DEFAULTS } from 'nestjs-sms/sms-options';
import { SMS_WEBHOOK_DEFAULTS } from 'nestjs-sms/webhooks/webhooks-options';
import { SmsConfigurationError, SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';
import { FakeHttpServer } from '../../fakes/fake-http-server';
import { SmsPilotFake } from '../../fakes/smspilot-fake.server';
import { SmsRuFake } from '../../fakes/smsru-fake.server';
import { ROOT } from '../doc-blocks';
import { MyGatewayProvider } from './my-gateway.provider';
import { withProviders } from './point-providers';

const API_ID = 'configuration-api-id-0001';
const API_KEY = 'configuration-api-key-0001';

/** A service of a feature module that does not import SmsModule. */
@Injectable()
class Notifier {
  constructor(readonly sms: SmsService) {}
}

@Module({ providers: [Notifier], exports: [Notifier] })
class FeatureModule {}

async function boot(options: SmsModuleOptions): Promise<TestingModule> {
  return Test.createTestingModule({ imports: [SmsModule.forRoot(options)] }).compile();
}

describe('docs/configuration.md', () => {
  const env = { ...process.env };
  let smsru: SmsRuFake;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
  });
  beforeEach(() => {
    process.env.SMSRU_API_ID = API_ID;
    process.env.SMSPILOT_API_KEY = API_KEY;
    smsru.reset();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    process.env = { ...env };
  });
  afterAll(() => smsru.close());

  describe('Registration: each way gives the same SMS.ru provider', () => {
    const ways = ['direct', 'fromFactory', 'fromClass', 'fromExisting'] as const;

    it.each(ways)('%s reads the key from the environment and sends through it', async (way) => {
      process.env.SMS_SENDER = 'MyShop';
      const registration = (await import('./registration'))[way];
      moduleRef = await withProviders([ConfigModule.forRoot({ ignoreEnvFile: true }), registration], {
        main: { baseUrl: smsru.url },
      }).compile();
      const result = await moduleRef.get(SmsService).send({ to: '+79255070602', text: way });
      expect(result).toMatchObject({ provider: 'main', messages: [{ accepted: true }] });
      const [sent] = smsru.requestsTo('sms/send');
      expect(sent.form.get('api_id')).toBe(API_ID);
      // The factory's options name the sender; the direct options do not.
      expect(sent.form.get('from') ?? undefined).toBe(way === 'direct' ? undefined : 'MyShop');
    });

    it.each(['direct', 'fromFactory'] as const)(
      '%s with isGlobal: a feature module injects SmsService without importing SmsModule',
      async (way) => {
        const registration = (await import('./registration'))[way];
        moduleRef = await withProviders(
          [ConfigModule.forRoot({ ignoreEnvFile: true }), registration, FeatureModule],
          {
            main: { baseUrl: smsru.url },
          },
        ).compile();
        expect(moduleRef.get(Notifier).sms).toBe(moduleRef.get(SmsService));
      },
    );

    it('without isGlobal, a module that does not import SmsModule cannot inject SmsService', async () => {
      const { fromClass } = await import('./registration');
      await expect(
        withProviders([ConfigModule.forRoot({ ignoreEnvFile: true }), fromClass, FeatureModule], {
          main: { baseUrl: smsru.url },
        }).compile(),
      ).rejects.toThrow(/SmsService/);
    });

    it('a factory without its key stops the start', async () => {
      delete process.env.SMSRU_API_ID;
      const { fromFactory } = await import('./registration');
      await expect(
        withProviders([ConfigModule.forRoot({ ignoreEnvFile: true }), fromFactory], {
          main: { baseUrl: smsru.url },
        }).compile(),
      ).rejects.toThrow(/SMSRU_API_ID/);
    });
  });

  describe('start-up checks', () => {
    it('names the provider and the field, as the examples of the page show', async () => {
      await expect(boot({ providers: { main: { driver: 'smsru' } } })).rejects.toThrow(
        new SmsConfigurationError('provider "main" (smsru): "apiId" is required (or "login" and "password")'),
      );
      await expect(
        boot({ providers: { main: { driver: 'memory' } }, failover: ['main', 'backup'] }),
      ).rejects.toThrow('SmsModule configuration: "failover" names "backup", which is not in "providers"');
    });

    it.each([
      ['timeoutMs', { timeoutMs: 0 }],
      ['sendTimeoutMs', { sendTimeoutMs: -1 }],
      ['maxConcurrency', { maxConcurrency: Number.NaN }],
      ['retry.maxAttempts', { retry: { maxAttempts: 0 } }],
      ['retry.initialDelayMs', { retry: { initialDelayMs: -1 } }],
      ['retry.maxDelayMs', { retry: { maxDelayMs: 0 } }],
      ['circuitBreaker.threshold', { circuitBreaker: { threshold: 0 } }],
      ['circuitBreaker.halfOpenAfterMs', { circuitBreaker: { halfOpenAfterMs: -5 } }],
      ['idempotency.ttlMs', { idempotency: { ttlMs: 0 } }],
      ['idempotency.maxEntries', { idempotency: { maxEntries: 0 } }],
      ['antiFlood.maxEntries', { antiFlood: { maxEntries: 0 } }],
      ['antiFlood.perNumber[0].max', { antiFlood: { perNumber: [{ max: 0, windowMs: 1000 }] } }],
      ['webhooks.maxBodyBytes', { webhooks: { path: 'sms', token: 'a'.repeat(16), maxBodyBytes: 0 } }],
      ['maxRecipients', { providers: { main: { driver: 'memory', maxRecipients: 0 } } }],
    ] as const)('refuses a %s that is not positive', async (field, options) => {
      await expect(
        boot({ providers: { main: { driver: 'memory' } }, ...(options as Partial<SmsModuleOptions>) }),
      ).rejects.toThrow(new RegExp(`"${field.replace(/[.[\]]/g, '\\$&')}"`));
    });

    it('documents the defaults the library uses', () => {
      const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
      const documented = new Map<string, string>();
      for (const [, option, value] of doc.matchAll(/^\| `([\w.]+)` \| `([^`]+)`(?: \([^)]*\))? \|/gm)) {
        if (!documented.has(option)) documented.set(option, value);
      }
      const leaves = (value: object, path = ''): Array<[string, unknown]> =>
        Object.entries(value).flatMap(([key, v]) =>
          typeof v === 'object' && v !== null ? leaves(v, `${path}${key}.`) : [[`${path}${key}`, v]],
        );
      const expected = [...leaves(SMS_OPTION_DEFAULTS), ...leaves(SMS_WEBHOOK_DEFAULTS)];
      expect(expected.length).toBeGreaterThan(10);
      for (const [option, value] of expected) {
        expect([option, documented.get(option)]).toEqual([
          option,
          typeof value === 'string' ? `'${value}'` : String(value),
        ]);
      }
    });

    it('uses the first provider when no defaultProvider is named', async () => {
      moduleRef = await boot({ providers: { first: { driver: 'memory' }, second: { driver: 'memory' } } });
      expect((await moduleRef.get(SmsService).send({ to: '+79255070602', text: 'hi' })).provider).toBe(
        'first',
      );
    });
  });

  describe('Send options: checked before any request', () => {
    it('sends duplicates once, and refuses sendAt in the past, a long key and a private clientIp', async () => {
      moduleRef = await boot({ providers: { main: smsru.providerConfig() } });
      const sms = moduleRef.get(SmsService);
      const result = await sms.send({ to: ['+7 925 507-06-02', '89255070602'], text: 'once' });
      expect(result.messages).toHaveLength(1);
      expect(smsru.recipientsOf(smsru.requestsTo('sms/send')[0])).toEqual(['79255070602']);
      const refused = [
        { sendAt: new Date(Date.now() - 120_000) },
        { idempotencyKey: 'k'.repeat(201) },
        { clientIp: '10.0.0.1' },
        { clientIp: '2001:db8::1' },
        { ttlMinutes: 1441 },
      ];
      for (const options of refused) {
        await expect(sms.send({ to: '+79255070602', text: 'hi', ...options })).rejects.toMatchObject({
          code: 'VALIDATION',
        });
      }
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
    });

    it('an IPv4-mapped clientIp goes out as plain IPv4; one IPv6 /64 is one anti-flood key', async () => {
      moduleRef = await boot({
        providers: { main: smsru.providerConfig() },
        antiFlood: { perIp: [{ max: 1, windowMs: 60_000 }] },
      });
      const sms = moduleRef.get(SmsService);
      await sms.send({ to: '+79255070602', text: 'hi', clientIp: '::ffff:8.8.8.8' });
      expect(smsru.requestsTo('sms/send')[0].form.get('ip')).toBe('8.8.8.8');
      await sms.send({ to: '+79255070603', text: 'hi', clientIp: '2a00:1450:4010:c05::1' });
      await expect(
        sms.send({ to: '+79255070604', text: 'hi', clientIp: '2a00:1450:4010:c05:ffff::2' }),
      ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      await sms.send({ to: '+79255070605', text: 'hi', clientIp: '2a00:1450:4010:c06::1' });
      expect(smsru.requestsTo('sms/send')).toHaveLength(3);
    });
  });

  describe('Provider configs', () => {
    it('smsru: the key goes in the body, the sender with every send', async () => {
      const { sms } = await import('./smsru');
      moduleRef = await withProviders([sms], { main: { baseUrl: smsru.url } }).compile();
      await moduleRef.get(SmsService).send({ to: '8 925 507-06-02', text: 'Your code: 4242' });
      const [sent] = smsru.requestsTo('sms/send');
      expect(sent.form.get('api_id')).toBe(API_ID);
      expect(sent.url).not.toContain(API_ID);
      expect(sent.form.get('from')).toBe('MyShop');
      expect(smsru.recipientsOf(sent)).toEqual(['79255070602']);
    });

    it('smspilot: the key goes in the body; translit is refused before any request', async () => {
      const pilot = await SmsPilotFake.start({ apiKey: API_KEY });
      try {
        const { sms } = await import('./smspilot');
        moduleRef = await withProviders([sms], { backup: { baseUrl: pilot.url } }).compile();
        const service = moduleRef.get(SmsService);
        const result = await service.send({ to: '+79021234567', text: 'hi' });
        expect(result.messages[0]).toMatchObject({ accepted: true, id: '10000' });
        expect(pilot.lastForm().apikey).toBe(API_KEY);
        await expect(service.send({ to: '+79021234567', text: 'hi', translit: true })).rejects.toMatchObject({
          code: 'UNSUPPORTED',
        });
        expect(pilot.requests).toHaveLength(1);
      } finally {
        await pilot.close();
      }
    });

    it('memory: ids dev-1, …, delivered, kept in the outbox; no credentials, no network', async () => {
      const { sms, sentTexts } = await import('./memory');
      moduleRef = await withProviders([sms], {}).compile();
      const service = moduleRef.get(SmsService);
      const result = await service.send({ to: '+79255070602', text: 'Hello' });
      expect(result.messages[0]).toMatchObject({ id: 'dev-1', accepted: true });
      expect(await service.getStatus('dev-1')).toMatchObject([{ status: 'delivered' }]);
      expect(sentTexts(service)).toEqual(['Hello']);
      expect(await service.getBalance()).toMatchObject({ balance: 0 });
    });

    describe('A class of your own', () => {
      let gateway: FakeHttpServer;
      let ids = 0;

      beforeAll(async () => {
        gateway = await FakeHttpServer.start(() => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: `gw-${++ids}` }),
        }));
      });
      afterAll(() => gateway.close());

      const bootOwn = async (): Promise<SmsService> => {
        const { sms } = await import('./own-driver');
        moduleRef = await withProviders([sms], {
          own: { endpoint: `${gateway.url}/send` },
        }).compile();
        return moduleRef.get(SmsService);
      };

      it('is built by Nest, configured with its own fields, and sends', async () => {
        gateway.reset();
        const sms = await bootOwn();
        expect(sms.driver('own', MyGatewayProvider)).toBeInstanceOf(MyGatewayProvider);
        const result = await sms.send({ to: '+79255070602', text: 'hi', sender: 'MyShop' });
        expect(result.messages[0]).toMatchObject({ accepted: true, id: expect.stringMatching(/^gw-/) });
        const [request] = gateway.requestsTo('/send');
        expect(JSON.parse(request.body)).toEqual({ to: '79255070602', text: 'hi', from: 'MyShop' });
      });

      it('its capabilities and limits are checked before any call', async () => {
        gateway.reset();
        const sms = await bootOwn();
        await expect(sms.send({ to: '+79255070602', text: 'hi', sendAt: new Date() })).rejects.toMatchObject({
          code: 'UNSUPPORTED',
        });
        await expect(sms.send({ to: ['+79255070602', '+79255070603'], text: 'hi' })).rejects.toMatchObject({
          code: 'VALIDATION',
        });
        await expect(sms.getBalance()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
        expect(gateway.requests).toHaveLength(0);
      });

      it('an answer without an id is an unknown outcome: one request, never repeated', async () => {
        gateway.reset();
        gateway.script({ status: 500, body: 'oops' });
        await expect((await bootOwn()).send({ to: '+79255070602', text: 'hi' })).rejects.toMatchObject({
          outcome: 'unknown',
        });
        expect(gateway.requests).toHaveLength(1);
      });

      it('a gateway that is down is unavailable: not sent, and not retried by the library', async () => {
        gateway.reset();
        gateway.script({ status: 503 });
        const sms = await bootOwn();
        await expect(sms.send({ to: '+79255070602', text: 'hi' })).rejects.toMatchObject({
          failure: 'unavailable',
          outcome: 'not_sent',
        });
        expect(gateway.requests).toHaveLength(1);
      });
    });
  });
});
