import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SRC = resolve(__dirname, '..');
const TELEMETRY = resolve(__dirname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Lines of a file that name an `@opentelemetry/` package, other than `import type`. */
function valueImports(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => /['"]@opentelemetry\//.test(line) && !/^import type /.test(line.trim()));
}

describe('@opentelemetry/api stays an optional peer', () => {
  const files = sourceFiles(SRC);

  it('only telemetry/otel.ts loads it (a guarded require); every other file imports types at most', () => {
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((file) =>
      valueImports(readFileSync(file, 'utf8')).map((line) => `${relative(SRC, file)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([
      "telemetry/otel.ts: export const otel: typeof OtelApi | undefined = load('@opentelemetry/api');",
    ]);
    const outside = files.filter(
      (file) => !file.startsWith(TELEMETRY + sep) && /@opentelemetry\//.test(readFileSync(file, 'utf8')),
    );
    expect(outside.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('the scan would catch a value import', () => {
    expect(valueImports("import { trace } from '@opentelemetry/api';")).toHaveLength(1);
    expect(valueImports("import type { Span } from '@opentelemetry/api';")).toEqual([]);
  });

  it('without the package the library loads and sends, and loads nothing of OpenTelemetry', () => {
    const script = `
      const Module = require('node:module');
      const resolveFilename = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request.startsWith('@opentelemetry/')) {
          throw Object.assign(new Error('Cannot find module ' + request), { code: 'MODULE_NOT_FOUND' });
        }
        return resolveFilename.call(this, request, ...rest);
      };
      require('reflect-metadata');
      const { Test } = require('@nestjs/testing');
      const { SmsModule, SmsService } = require('./libs/sms/src');
      const { otel } = require('./libs/sms/src/telemetry/otel');
      (async () => {
        const app = await Test.createTestingModule({
          imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } } })],
        }).compile();
        await app.init();
        const sms = app.get(SmsService);
        const sent = await sms.send({ to: '+79255070602', text: 'Hello' });
        const failed = await sms.send({ to: '12', text: 'Hello' }).catch((e) => e.code);
        const balance = await sms.getBalance();
        await app.close();
        const loaded = Object.keys(require.cache).filter((f) => f.includes('@opentelemetry'));
        process.stdout.write(JSON.stringify({
          otel: otel === undefined ? 'absent' : 'present',
          accepted: sent.messages[0].accepted,
          failed,
          balance: typeof balance.balance,
          loaded,
        }));
      })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });
    `;
    const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: resolve(SRC, '../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      otel: 'absent',
      accepted: true,
      failed: 'VALIDATION',
      balance: 'number',
      loaded: [],
    });
  });
});
