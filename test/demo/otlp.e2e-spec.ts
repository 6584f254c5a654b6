import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The demo's traces over OTLP/HTTP, in a child process started as `main.ts` is (`node -r
 * @swc-node/register`): the OTLP exporter loads `http` with a dynamic `import()`, which Jest's module
 * sandbox does not run.
 */

const ROOT = resolve(__dirname, '../..');
const NODE_ARGS = ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register'];

interface Export {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A collector of OTLP/HTTP on 127.0.0.1 that keeps every request and answers 200. */
async function startCollector(): Promise<{ url: string; exports: Export[]; close(): Promise<void> }> {
  const exports: Export[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      exports.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** The span names of an OTLP/JSON export body. */
function spanNames(body: string): string[] {
  const data = JSON.parse(body) as {
    resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
  };
  return data.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)));
}

/** `node <NODE_ARGS> <args>` in the repository, with only PATH, HOME and the given variables. */
function node(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout line that matches, as JSON. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) done(JSON.parse(line) as Record<string, unknown>);
    });
    child.on('exit', (code) => fail(new Error(`exited with ${code} before ${pattern}:\n${out}\n${err}`)));
  });
}

describe('demo traces over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    collector = await startCollector();
    env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'sms-demo-under-test' };
  });
  beforeEach(() => {
    collector.exports.length = 0;
  });
  afterAll(() => collector.close());

  it('exports spans of the global API as OTLP/JSON to <endpoint>/v1/traces with the service name', async () => {
    const script = `
      const { telemetry } = require('./apps/demo/src/telemetry/started');
      require('@opentelemetry/api').trace.getTracer('wiring-check').startSpan('wiring.check').end();
      telemetry.shutdown().then(() => console.log(JSON.stringify(telemetry.settings)));`;
    const child = node(['-e', script], env);
    const settings = await lineMatching(child, /serviceName/);
    expect(settings).toEqual({ serviceName: 'sms-demo-under-test', exportTraces: true });
    expect(collector.exports).toHaveLength(1);
    const [sent] = collector.exports;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/traces' });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(spanNames(sent.body)).toEqual(['wiring.check']);
    expect(sent.body).toContain('"key":"service.name","value":{"stringValue":"sms-demo-under-test"}');
  }, 30_000);

  it("main.ts: serves /metrics, and on SIGTERM exports the library's sms.send span of a send", async () => {
    const demo = node(['apps/demo/src/main.ts'], { ...env, PORT: '0', LOG_FORMAT: 'json' });
    try {
      const started = await lineMatching(demo, /nestjs-sms demo listening/);
      const line = started.message as { address: string; metrics: string; traces: string };
      const url = `http://${line.address}`;
      expect(line.metrics).toBe(`http://localhost:${url.split(':').pop()}/metrics`);
      expect(line.traces).toBe('exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)');
      expect(JSON.stringify(started)).not.toContain(collector.url);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^target_info\{service_name="sms-demo-under-test",/m);
      const sent = await fetch(`${url}/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: '+79255070602', text: 'Your code: 4821' }),
      });
      expect(sent.status).toBe(201);
      expect(collector.exports).toHaveLength(0);
      demo.kill('SIGTERM');
      // Nest closes the app, then raises the signal again to end the process.
      const [code, signal] = (await once(demo, 'exit')) as [number | null, string | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      if (demo.exitCode === null) demo.kill('SIGKILL');
    }
    // The batch processor still held the spans: the shutdown with the app exported them.
    const names = collector.exports.flatMap((e) => spanNames(e.body));
    expect(names).toContain('sms.send');
    const bodies = collector.exports.map((e) => e.body).join('\n');
    expect(bodies).not.toMatch(/9255070602|4821/);
  }, 30_000);
});
