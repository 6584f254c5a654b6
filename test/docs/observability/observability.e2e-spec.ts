import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../../fakes/closed-port';
import { FakeHttpServer } from '../../fakes/fake-http-server';
import { bootstrap } from './main';
import { startTelemetry } from './telemetry';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

/**
 * The example application in a process of its own, as it runs in production (the OTLP exporter loads
 * `http` through a dynamic `import()`, which Jest's module sandbox does not run): one send, a scrape
 * of the Prometheus endpoint, then shutdown (which flushes the spans to the collector).
 */
const SCRIPT = `
  require('reflect-metadata');
  const { SmsService } = require('nestjs-sms');
  const { bootstrap } = require('./test/docs/observability/main');
  (async () => {
    const { app, stopTelemetry } = await bootstrap();
    await app.get(SmsService).send({ to: '+79255070602', text: 'Hello' });
    const scrape = await (await fetch('http://127.0.0.1:' + process.env.PROMETHEUS_PORT + '/metrics')).text();
    await app.close();
    await stopTelemetry();
    process.stdout.write(JSON.stringify({ scrape }));
  })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });
`;

describe('docs/observability.md: the SDK set up before NestFactory.create', () => {
  let collector: FakeHttpServer;

  beforeAll(async () => {
    collector = await FakeHttpServer.start(() => ({ status: 200, body: '{}' }));
  });

  afterAll(() => collector.close());

  it('the process runs the documented bootstrap, which calls startTelemetry before NestFactory.create', () => {
    expect(SCRIPT).toContain("require('./test/docs/observability/main')");
    const source = bootstrap.toString();
    expect(typeof startTelemetry).toBe('function');
    expect(source.indexOf('startTelemetry')).toBeGreaterThan(-1);
    expect(source.indexOf('startTelemetry')).toBeLessThan(source.indexOf('NestFactory.create'));
  });

  it('a send shows on the Prometheus endpoint and its spans reach the OTLP collector', async () => {
    const port = await closedPort();
    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', '-e', SCRIPT],
      {
        cwd: ROOT,
        env: { ...process.env, OTLP_URL: collector.url, PROMETHEUS_PORT: String(port), NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    const { scrape } = JSON.parse(stdout.slice(stdout.indexOf('{"scrape"'))) as { scrape: string };
    expect(scrape).toMatch(
      /^sms_messages_total\{[^}]*sms_provider="dev"[^}]*sms_result="accepted"[^}]*\} 1$/m,
    );
    expect(scrape).toMatch(/^sms_provider_request_duration_count\{[^}]*sms_provider="dev"[^}]*\} 1$/m);
    expect(scrape).toContain('service_name="notifications"');
    const [exported] = collector.requestsTo('/v1/traces');
    expect(exported).toBeDefined();
    expect(JSON.stringify(exported)).toContain('sms.send');
  });
});
