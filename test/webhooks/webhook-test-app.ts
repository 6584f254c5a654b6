import { createHash } from 'node:crypto';
import { type Server, request as httpRequest } from 'node:http';
import { type AddressInfo } from 'node:net';
import { format } from 'node:util';
import { type INestApplication, type LoggerService, type NestApplicationOptions } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type DeliveryReport, SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';
import { type Subscription } from 'rxjs';

/** Collects every line written through Nest's logger. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]): void {
    this.lines.push(format(...args));
  }
  error(...args: unknown[]): void {
    this.lines.push(format(...args));
  }
  warn(...args: unknown[]): void {
    this.lines.push(format(...args));
  }
  debug(...args: unknown[]): void {
    this.lines.push(format(...args));
  }
  verbose(...args: unknown[]): void {
    this.lines.push(format(...args));
  }
}

/** A Nest app with `SmsModule`, its published reports and everything it logged or printed. */
export interface WebhookTestApp {
  app: INestApplication;
  sms: SmsService;
  /** What `deliveryReports$` published, in order. */
  reports: DeliveryReport[];
  logger: CapturingLogger;
  /** Logger lines and whatever reached stdout or stderr while the app ran. */
  logged(): string;
  close(): Promise<void>;
}

/** How the app under test is set up. */
export interface WebhookTestAppSetup {
  /** `forRoot` options, or an async factory used through `forRootAsync`. */
  options: SmsModuleOptions | (() => Promise<SmsModuleOptions>);
  nest?: NestApplicationOptions;
  globalPrefix?: string;
  /** Runs on the app before `init` (body parser settings and the like). */
  prepare?: (app: INestApplication) => void;
}

/** Boots a Nest app over HTTP with the module, as an application would. */
export async function startWebhookApp(setup: WebhookTestAppSetup): Promise<WebhookTestApp> {
  const out = jest.spyOn(process.stdout, 'write');
  const err = jest.spyOn(process.stderr, 'write');
  const printed = () => [...out.mock.calls, ...err.mock.calls].map(([chunk]) => String(chunk));
  const { options } = setup;
  const imported =
    typeof options === 'function'
      ? SmsModule.forRootAsync({ useFactory: options })
      : SmsModule.forRoot(options);
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [imported] })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger, ...setup.nest });
  if (setup.globalPrefix) app.setGlobalPrefix(setup.globalPrefix);
  setup.prepare?.(app);
  await app.init();
  const sms = app.get(SmsService);
  const reports: DeliveryReport[] = [];
  const subscription: Subscription = sms.deliveryReports$.subscribe((r) => reports.push(r));
  return {
    app,
    sms,
    reports,
    logger,
    logged: () => [...logger.lines, ...printed()].join('\n'),
    close: async () => {
      subscription.unsubscribe();
      await app.close();
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** An SMS.ru callback body: `data[0]`…`data[N]` and `hash` = SHA-256 hex of the api_id and the entries. */
export function smsRuCallbackBody(apiId: string, entries: string[], hash?: string): string {
  const form = new URLSearchParams();
  entries.forEach((entry, i) => form.append(`data[${i}]`, entry));
  form.append(
    'hash',
    hash ??
      createHash('sha256')
        .update(apiId + entries.join(''))
        .digest('hex'),
  );
  return form.toString();
}

/**
 * POSTs a form with `Transfer-Encoding: chunked` (no `Content-Length`), in two chunks, over a real
 * socket: the app listens on a free port of 127.0.0.1 first if it does not yet.
 */
export async function postChunked(
  app: INestApplication,
  path: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'transfer-encoding': 'chunked',
          connection: 'close',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    req.end(body.slice(half));
  });
}
