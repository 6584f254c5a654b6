import { type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsOutbox } from 'nestjs-sms/testing';
import { AppModule } from '../../apps/demo/src/app.module';
import { configureApp } from '../../apps/demo/src/app.setup';
import { type DemoTelemetry } from '../../apps/demo/src/telemetry/telemetry';

/** The demo application as the tests run it, and the outbox of its memory providers. */
export interface DemoApp {
  app: INestApplication;
  /** The outbox of the memory providers; throws when none is configured. */
  readonly outbox: SmsOutbox;
  close(): Promise<void>;
}

/**
 * Starts the demo exactly as `main.ts` wires it (same module, same `configureApp`), from the given
 * environment variables instead of `.env` (`SMS_…`, `LOG_…`, `OTEL_…`, `REDIS_URL`, `DEMO_API_KEY`,
 * `HOST` and `PORT` of the process are ignored), with logs switched off unless a logger is given, and
 * with `GET /metrics` when the telemetry started by `startTelemetry` is given (closing the app shuts it
 * down). The variables are restored when the app is closed.
 */
export async function startDemo(
  env: Record<string, string> = {},
  options: { listen?: boolean; logger?: LoggerService; telemetry?: DemoTelemetry } = {},
): Promise<DemoApp> {
  const saved = new Map<string, string | undefined>();
  for (const key of Object.keys(process.env))
    if (/^(SMS_|LOG_|OTEL_|REDIS_URL$|DEMO_API_KEY$|HOST$|PORT$)/.test(key)) saved.set(key, process.env[key]);
  for (const key of saved.keys()) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    process.env[key] = value;
  }
  const restore = () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ ignoreEnvFile: true, telemetry: options.telemetry })],
    }).compile();
    const app = configureApp(moduleRef.createNestApplication({ logger: options.logger ?? false }));
    if (options.listen) await app.listen(0, '127.0.0.1');
    else await app.init();
    let outbox: SmsOutbox | undefined;
    return {
      app,
      get outbox() {
        outbox ??= SmsOutbox.from(app);
        return outbox;
      },
      close: async () => {
        await app.close();
        restore();
      },
    };
  } catch (error) {
    restore();
    throw error;
  }
}

/** Routes the HTTP server maps, as OpenAPI writes them, besides the docs, the home redirect and the HTML page. */
export function mappedRoutes(demo: DemoApp): string[] {
  const express = demo.app.getHttpAdapter().getInstance();
  const layers: Array<{ route?: { path: string; methods: Record<string, boolean> } }> = express.router.stack;
  return layers
    .flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : []))
    .filter((r) => !/ \/docs|^get \/$|^get \/outbox$/.test(r))
    .map((r) => r.replace(/:(\w+)/g, '{$1}'));
}
