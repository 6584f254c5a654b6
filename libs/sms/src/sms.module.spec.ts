import { Global, Injectable, Module, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsConfigurationError } from './errors';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsModuleOptions,
  type SmsProvider,
  type SmsProviderContext,
} from './interfaces';
import { MemoryProvider } from './providers/memory';
import { SmsModule } from './sms.module';
import { type SmsOptionsFactory } from './sms.module-definition';
import { SmsService } from './sms.service';

const MEMORY: SmsModuleOptions = { providers: { dev: { driver: 'memory' } } };

/** Stands for the HTTP client of a third-party gateway: records what the driver hands it. */
@Injectable()
class GatewayClient {
  readonly sent: Array<{ endpoint: string; to: string; text: string }> = [];
  post(endpoint: string, to: string, text: string): string {
    this.sent.push({ endpoint, to, text });
    return `gw-${this.sent.length}`;
  }
}

@Module({ providers: [GatewayClient], exports: [GatewayClient] })
class GatewayModule {}

@Global()
@Module({ providers: [GatewayClient], exports: [GatewayClient] })
class GlobalGatewayModule {}

/** A driver of our own: built by Nest DI (it injects `GatewayClient`) and configured by the module. */
@Injectable()
class MyGatewayProvider implements SmsProvider {
  readonly capabilities = ['send'] as const;
  context?: SmsProviderContext;
  closed = false;

  constructor(readonly client: GatewayClient) {}

  configure(context: SmsProviderContext): void {
    this.context = context;
  }

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    const endpoint = String(this.context?.config.endpoint);
    return {
      messages: request.messages.map((m) => ({
        to: m.to,
        text: m.text,
        accepted: true,
        id: this.client.post(endpoint, m.to, m.text),
        status: 'queued' as const,
        segments: m.segments.segments,
      })),
    };
  }

  close(): void {
    this.closed = true;
  }
}

const SETTINGS = 'SETTINGS';

@Module({ providers: [{ provide: SETTINGS, useValue: { sender: 'FromModule' } }], exports: [SETTINGS] })
class SettingsModule {}

@Injectable()
class SmsConfig implements SmsOptionsFactory {
  createSmsOptions(): SmsModuleOptions {
    return { providers: { viaClass: { driver: 'memory', sender: 'ViaClass' } } };
  }
}

@Module({ providers: [SmsConfig], exports: [SmsConfig] })
class SmsConfigModule {}

/** A feature of the application that does not import `SmsModule`. */
@Injectable()
class NotifyService {
  constructor(readonly sms: SmsService) {}
}

@Module({ providers: [NotifyService], exports: [NotifyService] })
class NotifyModule {}

describe('SmsModule', () => {
  const modules: TestingModule[] = [];

  async function compile(
    imports: Array<Type | ReturnType<typeof SmsModule.forRoot>>,
  ): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({ imports }).compile();
    modules.push(moduleRef);
    return moduleRef;
  }

  afterEach(async () => {
    await Promise.all(modules.splice(0).map((m) => m.close()));
  });

  /** Sends one message through the module's `SmsService` and returns the result. */
  async function sendOne(moduleRef: TestingModule) {
    return moduleRef.get(SmsService).send({ to: '+7 925 507-06-02', text: 'Hello' });
  }

  describe('forRoot', () => {
    it('provides SmsService over the configured providers', async () => {
      const moduleRef = await compile([SmsModule.forRoot(MEMORY)]);
      const sms = moduleRef.get(SmsService);
      expect(sms.providers).toEqual(['dev']);
      const result = await sendOne(moduleRef);
      expect(result.provider).toBe('dev');
      expect(result.messages).toMatchObject([
        { to: '79255070602', accepted: true, status: 'delivered', segments: 1 },
      ]);
      expect(sms.driver('dev', MemoryProvider).outbox.last()).toMatchObject({
        to: '79255070602',
        text: 'Hello',
      });
    });

    it('is not global unless asked', async () => {
      await expect(compile([SmsModule.forRoot(MEMORY), NotifyModule])).rejects.toThrow(/SmsService/);
    });
  });

  describe('forRootAsync', () => {
    it('takes useFactory with imports and inject', async () => {
      const moduleRef = await compile([
        SmsModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { sender: string }) => ({
            providers: { dev: { driver: 'memory', sender: settings.sender } },
          }),
        }),
      ]);
      await sendOne(moduleRef);
      expect(moduleRef.get(SmsService).driver('dev', MemoryProvider).outbox.last()?.sender).toBe(
        'FromModule',
      );
    });

    it('takes an async factory reading @nestjs/config', async () => {
      const moduleRef = await compile([
        SmsModule.forRootAsync({
          imports: [
            ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SMS_SENDER: 'FromConfig' })] }),
          ],
          inject: [ConfigService],
          useFactory: async (config: ConfigService) => ({
            providers: { dev: { driver: 'memory', sender: config.getOrThrow<string>('SMS_SENDER') } },
          }),
        }),
      ]);
      await sendOne(moduleRef);
      expect(moduleRef.get(SmsService).driver('dev', MemoryProvider).outbox.last()?.sender).toBe(
        'FromConfig',
      );
    });

    it('takes useClass', async () => {
      const moduleRef = await compile([SmsModule.forRootAsync({ useClass: SmsConfig })]);
      const result = await sendOne(moduleRef);
      expect(result.provider).toBe('viaClass');
      expect(moduleRef.get(SmsService).driver('viaClass', MemoryProvider).outbox.last()?.sender).toBe(
        'ViaClass',
      );
    });

    it('takes useExisting from an imported module', async () => {
      const moduleRef = await compile([
        SmsModule.forRootAsync({ imports: [SmsConfigModule], useExisting: SmsConfig }),
      ]);
      const result = await sendOne(moduleRef);
      expect(result.provider).toBe('viaClass');
    });
  });

  describe('isGlobal', () => {
    it('lets a feature module that does not import SmsModule inject SmsService (forRoot)', async () => {
      const moduleRef = await compile([SmsModule.forRoot({ ...MEMORY, isGlobal: true }), NotifyModule]);
      const notify = moduleRef.get(NotifyService);
      expect(notify.sms).toBe(moduleRef.get(SmsService));
      await expect(notify.sms.send({ to: '89255070602', text: 'Hi' })).resolves.toMatchObject({
        provider: 'dev',
      });
    });

    it('lets a feature module that does not import SmsModule inject SmsService (forRootAsync)', async () => {
      const moduleRef = await compile([
        SmsModule.forRootAsync({ isGlobal: true, useFactory: () => MEMORY }),
        NotifyModule,
      ]);
      expect(moduleRef.get(NotifyService).sms).toBeInstanceOf(SmsService);
    });
  });

  describe('a driver class of your own', () => {
    const own = { driver: MyGatewayProvider, endpoint: 'https://gateway.test/send', sender: 'Own' };

    it('is built by Nest DI with a provider of a module given in forRootAsync imports', async () => {
      const moduleRef = await compile([
        SmsModule.forRootAsync({
          imports: [GatewayModule],
          useFactory: () => ({ providers: { own } }),
        }),
      ]);
      const sms = moduleRef.get(SmsService);
      const driver = sms.driver('own', MyGatewayProvider);
      expect(driver.client).toBeInstanceOf(GatewayClient);
      expect(driver.context).toEqual({ name: 'own', config: own, timeoutMs: 10_000 });

      const result = await sms.send({ to: '8 925 507 06 02', text: 'Hello' });
      expect(result.messages).toMatchObject([
        { to: '79255070602', accepted: true, id: 'gw-1', status: 'queued' },
      ]);
      expect(driver.client.sent).toEqual([
        { endpoint: 'https://gateway.test/send', to: '79255070602', text: 'Hello' },
      ]);
    });

    it('is built with a provider of a global module with forRoot, next to built-in drivers', async () => {
      const moduleRef = await compile([
        GlobalGatewayModule,
        SmsModule.forRoot({ providers: { own, dev: { driver: 'memory' } }, timeoutMs: 2_000 }),
      ]);
      const sms = moduleRef.get(SmsService);
      const driver = sms.driver('own', MyGatewayProvider);
      expect(driver.client).toBe(moduleRef.get(GatewayClient));
      expect(driver.context).toMatchObject({
        name: 'own',
        timeoutMs: 2_000,
        config: { endpoint: own.endpoint },
      });
      await sendOne(moduleRef);
      expect(driver.client.sent).toHaveLength(1);
      expect(sms.driver('dev', MemoryProvider).outbox.size).toBe(0);
    });

    it('is closed when the application shuts down', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [GlobalGatewayModule, SmsModule.forRoot({ providers: { own } })],
      }).compile();
      const driver = moduleRef.get(SmsService).driver('own', MyGatewayProvider);
      expect(driver.closed).toBe(false);
      await moduleRef.close();
      expect(driver.closed).toBe(true);
    });

    it('fails at start, naming the provider, when its dependency cannot be resolved', async () => {
      const error = await compile([SmsModule.forRoot({ providers: { own } })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsConfigurationError);
      expect((error as Error).message).toMatch(/provider "own": cannot build MyGatewayProvider/);
    });

    it('fails at start when the class does not implement SmsProvider', async () => {
      @Injectable()
      class NotADriver {}
      const error = await compile([
        SmsModule.forRoot({ providers: { odd: { driver: NotADriver as unknown as Type<SmsProvider> } } }),
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsConfigurationError);
      expect((error as Error).message).toMatch(/provider "odd": NotADriver does not implement SmsProvider/);
    });
  });

  describe('misconfiguration fails at start with a message naming the provider and the field', () => {
    /** The error that compiling a module with these options ends with. */
    async function startError(options: unknown): Promise<Error> {
      const error = await compile([SmsModule.forRoot(options as SmsModuleOptions)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsConfigurationError);
      expect(error).toMatchObject({ code: 'VALIDATION', name: 'SmsConfigurationError' });
      return error as Error;
    }

    it('an unknown driver', async () => {
      const { message } = await startError({ providers: { main: { driver: 'smsfoo', apiId: 'x' } } });
      expect(message).toMatch(/provider "main"/);
      expect(message).toMatch(/unknown driver "smsfoo"/);
      expect(message).toMatch(/memory/);
    });

    it('a provider without a driver', async () => {
      const { message } = await startError({ providers: { main: { apiId: 'x' } } });
      expect(message).toMatch(/provider "main": unknown driver undefined/);
    });

    it.each([[{}], [{ providers: {} }], [{ providers: null }]])('missing providers: %j', async (options) => {
      const { message } = await startError(options);
      expect(message).toMatch(/"providers" must name at least one provider/);
    });

    it.each([['memory', { driver: 'memory', sender: 'My Shop!' }]])(
      'a provider-level sender that a send would refuse (%s)',
      async (_driver, config) => {
        const { message } = await startError({ providers: { main: config } });
        expect(message).toMatch(
          /provider "main" \(\w+\): "sender" must be 3–11 of A-Za-z0-9.- or 6–14 digits$/,
        );
      },
    );

    it.each([['memory', { driver: 'memory' }]])('maxRecipients of 0 (%s)', async (_driver, config) => {
      const { message } = await startError({ providers: { main: { ...config, maxRecipients: 0 } } });
      expect(message).toMatch(/provider "main" \(\w+\): "maxRecipients" must be a positive whole number$/);
    });

    it('a shared field of a custom driver, named with its class', async () => {
      const { message } = await startError({
        providers: {
          own: { driver: MyGatewayProvider, endpoint: 'https://gateway.test/send', sender: 'a b' },
        },
      });
      expect(message).toBe(
        'SmsModule configuration: provider "own" (MyGatewayProvider): "sender" must be 3–11 of A-Za-z0-9.- or 6–14 digits',
      );
    });

    it('a bad memory outboxLimit', async () => {
      const { message } = await startError({ providers: { dev: { driver: 'memory', outboxLimit: 0 } } });
      expect(message).toMatch(/provider "dev" \(memory\): "outboxLimit" must be a positive whole number/);
    });

    it('defaultProvider naming no provider', async () => {
      const { message } = await startError({ ...MEMORY, defaultProvider: 'main' });
      expect(message).toMatch(/"defaultProvider" names "main", which is not in "providers"/);
    });

    it('a failover entry naming no provider', async () => {
      const { message } = await startError({ ...MEMORY, failover: ['dev', 'backup'] });
      expect(message).toMatch(/"failover" names "backup", which is not in "providers"/);
    });

    it.each(['russia', 'ru', 'XX', 'ZZ'])('a bad defaultCountry %j', async (defaultCountry) => {
      const { message } = await startError({ ...MEMORY, defaultCountry });
      expect(message).toMatch(/"defaultCountry" must be a two-letter country code/);
    });

    it.each([
      ['timeoutMs', 0],
      ['sendTimeoutMs', -1],
      ['maxConcurrency', Number.NaN],
    ])('a bad %s', async (field, value) => {
      const { message } = await startError({ ...MEMORY, [field]: value });
      expect(message).toMatch(new RegExp(`"${field}" must be a positive number`));
    });

    it('a bad configuration from a forRootAsync factory', async () => {
      const error = await compile([
        SmsModule.forRootAsync({ useFactory: () => ({ ...MEMORY, failover: ['nowhere'] }) }),
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsConfigurationError);
      expect((error as Error).message).toMatch(/"failover" names "nowhere"/);
    });

    it('accepts the valid names and countries', async () => {
      const moduleRef = await compile([
        SmsModule.forRoot({
          providers: { a: { driver: 'memory' }, b: { driver: 'memory' } },
          defaultProvider: 'b',
          failover: ['b', 'a'],
          defaultCountry: 'KZ',
        }),
      ]);
      const result = await moduleRef.get(SmsService).send({ to: '8 701 123 4567', text: 'Hi' });
      expect(result).toMatchObject({ provider: 'b', messages: [{ to: '77011234567' }] });
    });
  });
});
