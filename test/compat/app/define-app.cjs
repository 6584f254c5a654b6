/* global fetch */
/**
 * The scratch application of the compatibility check, written once for both module systems: `main.cjs`
 * (Nest 11, CommonJS) and `main.mjs` (Nest 12, ESM) load the packages their own way and hand them in.
 *
 * It registers `SmsModule.forRootAsync` with the memory driver (the factory reads an injected settings
 * provider from an imported module), `TerminusModule` with `SmsHealthModule`, a `POST /sms` controller
 * that sends through `SmsService`, and `GET /health` that checks `SmsHealthIndicator` (readiness and
 * liveness). Plain JavaScript: decorators are applied as functions.
 */

const SETTINGS = 'SCRATCH_SMS_SETTINGS';

/** Applies method and parameter decorators the way the TypeScript compiler emits them. */
function decorateMethod(target, name, decorators, paramTypes) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  for (const decorate of decorators) decorate(target.prototype, name, descriptor);
  Reflect.defineMetadata('design:paramtypes', paramTypes, target.prototype, name);
}

/**
 * Builds the root module from the loaded packages.
 *
 * @param {{ common: any, terminus: any, sms: any, health: any }} packages
 */
function defineApp({ common, terminus, sms, health }) {
  const { Body, Controller, Get, HttpCode, Inject, Module, Post } = common;
  const { HealthCheck, HealthCheckService, TerminusModule } = terminus;
  const { MemoryProvider, SmsModule, SmsService } = sms;
  const { SmsHealthIndicator, SmsHealthModule } = health;

  class SettingsModule {}
  Module({
    providers: [{ provide: SETTINGS, useValue: { provider: 'dev', outboxLimit: 50 } }],
    exports: [SETTINGS],
  })(SettingsModule);

  class SmsController {
    constructor(smsService) {
      this.sms = smsService;
    }

    send(body) {
      return this.sms.send(body);
    }

    outbox() {
      return this.sms
        .driver('dev', MemoryProvider)
        .outbox.messages.map(({ to, text, status }) => ({ to, text, status }));
    }
  }
  Inject(SmsService)(SmsController, undefined, 0);
  Controller('sms')(SmsController);
  Body()(SmsController.prototype, 'send', 0);
  decorateMethod(SmsController, 'send', [Post(), HttpCode(201)], [Object]);
  decorateMethod(SmsController, 'outbox', [Get('outbox')], []);

  class HealthController {
    constructor(healthService, indicator) {
      this.health = healthService;
      this.indicator = indicator;
    }

    check() {
      return this.health.check([
        () => this.indicator.isHealthy('sms', { minBalance: 0 }),
        () => this.indicator.isConfigured('sms-config'),
      ]);
    }
  }
  Inject(HealthCheckService)(HealthController, undefined, 0);
  Inject(SmsHealthIndicator)(HealthController, undefined, 1);
  Controller('health')(HealthController);
  decorateMethod(HealthController, 'check', [Get(), HealthCheck()], []);

  class AppModule {}
  Module({
    imports: [
      SmsModule.forRootAsync({
        imports: [SettingsModule],
        inject: [SETTINGS],
        useFactory: async (settings) => ({
          providers: { [settings.provider]: { driver: 'memory', outboxLimit: settings.outboxLimit } },
        }),
      }),
      TerminusModule.forRoot({ logger: false }),
      SmsHealthModule.forRoot({ cacheTtlMs: 0 }),
    ],
    controllers: [SmsController, HealthController],
  })(AppModule);
  return AppModule;
}

/** Sends one message and reads the health endpoint over HTTP, then prints one JSON report line. */
async function runApp(core, AppModule, meta) {
  const app = await core.NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    const call = async (method, path, body) => {
      const res = await fetch(base + path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json() };
    };
    const sent = await call('POST', '/sms', { to: '+7 925 507-06-02', text: 'Привет из Nest' });
    const outbox = await call('GET', '/sms/outbox');
    const health = await call('GET', '/health');
    console.log(JSON.stringify({ ...meta, sent, outbox, health }));
  } finally {
    await app.close();
  }
}

module.exports = { defineApp, runApp };
