import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT_NAMES, exportedNames } from './packaging/root-names';

/**
 * Packs the library with `npm run pack:sms`, installs the tarball into a scratch Nest 11 application
 * outside the repository (from the npm registry, like a user would), and runs a plain CommonJS app
 * against it. A packaging mistake (a missing file, a path alias left in the output, a dependency
 * that is not declared, a peer that is bundled twice) fails here.
 */

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const FIXTURES = join(__dirname, 'packaging');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'libs/sms/package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
const TARBALL = join(ROOT, 'dist', `${MANIFEST.name}-${MANIFEST.version}.tgz`);
const TSC = require.resolve('typescript/bin/tsc', { paths: [ROOT] });

/** npm without prompts, progress bars or update checks, whatever the machine's terminal. */
const NPM_ENV = {
  ...process.env,
  CI: 'true',
  npm_config_loglevel: 'error',
  npm_config_progress: 'false',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

const PEERS = [
  '@nestjs/axios@^4',
  '@nestjs/common@^11',
  '@nestjs/core@^11',
  '@nestjs/platform-express@^11',
  'reflect-metadata',
  'rxjs',
  'class-validator',
  'class-transformer',
];

interface AppReport {
  version: string;
  sent: {
    provider: string;
    messages: Array<{
      to: string;
      text: string;
      accepted: boolean;
      id?: string;
      status: string;
      segments: number;
    }>;
  };
  outbox: Array<{ to: string; text: string }>;
  invalid: { name: string; code: string; isSmsValidationError: boolean; fields: string[] };
  http: {
    created: { status: number; body: { messages: Array<{ to: string }> } };
    rejected: { status: number };
  };
  /** The `@opentelemetry/api` the scratch app resolves, and whether it was loaded by the end. */
  openTelemetryApi: { version: string; loaded: boolean } | null;
}

async function sh(command: string, args: string[], cwd: string, timeout = 180_000) {
  try {
    return await run(command, args, { cwd, env: NPM_ENV, timeout, maxBuffer: 32 * 1024 * 1024 });
  } catch (e) {
    const { stdout, stderr, message } = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

describe('the nestjs-sms package', () => {
  let scratch: string;

  beforeAll(async () => {
    await sh('npm', ['run', 'pack:sms'], ROOT);
    scratch = mkdtempSync(join(tmpdir(), 'nestjs-sms-scratch-'));
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch-app', version: '0.0.0', private: true, license: 'MIT' }, null, 2),
    );
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', TARBALL, ...PEERS], scratch);
    writeFileSync(join(scratch, 'app.js'), readFileSync(join(FIXTURES, 'app.js')));
  }, 240_000);

  afterAll(() => {
    if (scratch && !process.env.KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
  });

  it('is packed as dist/<name>-<version>.tgz', () => {
    expect(existsSync(TARBALL)).toBe(true);
    expect(scratch.startsWith(ROOT)).toBe(false);
  });

  /** Runs app.js in the scratch app and returns its report. */
  async function runApp(): Promise<AppReport> {
    const { stdout } = await sh(process.execPath, ['app.js'], scratch, 60_000);
    return JSON.parse(stdout.trim().split('\n').pop()!) as AppReport;
  }

  /** What app.js reports when the package works: one send, one refusal, one HTTP round trip. */
  function expectSent(report: AppReport): void {
    expect(report.version).toBe(MANIFEST.version);
    expect(report.sent.provider).toBe('dev');
    expect(report.sent.messages).toEqual([
      expect.objectContaining({
        to: '79255070602',
        text: 'Привет',
        accepted: true,
        status: 'delivered',
        segments: 1,
      }),
    ]);
    expect(report.sent.messages[0].id).toEqual(expect.any(String));
    expect(report.outbox).toEqual([expect.objectContaining({ to: '79255070602', text: 'Привет' })]);
    expect(report.invalid).toEqual({
      name: 'SmsValidationError',
      code: 'VALIDATION',
      isSmsValidationError: true,
      fields: ['to', 'text'],
    });
    // The DTOs validate through the application's own class-validator (a peer, not a second copy).
    expect(report.http.created.status).toBe(201);
    expect(report.http.created.body.messages).toEqual([expect.objectContaining({ to: '79255070602' })]);
    expect(report.http.rejected.status).toBe(400);
  }

  it('sends through SmsModule.forRoot with the memory driver in a plain CommonJS Nest 11 app, without @opentelemetry/api', async () => {
    const report = await runApp();
    expectSent(report);
    // npm leaves an optional peer out: the library loads and sends without it.
    expect(report.openTelemetryApi).toBeNull();
    await expect(
      sh(process.execPath, ['-e', "require.resolve('@opentelemetry/api')"], scratch, 30_000),
    ).rejects.toThrow(/Cannot find module '@opentelemetry\/api'/);
  }, 60_000);

  it('publishes exactly the pinned root names, at most 60 (values and type-only names of index.d.ts)', async () => {
    const installed = join(scratch, 'node_modules', 'nestjs-sms', 'dist', 'index.d.ts');
    const names = exportedNames(installed);
    expect(names).toEqual([...ROOT_NAMES].sort());
    expect(names.length).toBeLessThanOrEqual(60);
    const { stdout } = await sh(
      process.execPath,
      ['-e', "console.log(JSON.stringify(Object.keys(require('nestjs-sms'))))"],
      scratch,
      30_000,
    );
    const values = JSON.parse(stdout) as string[];
    expect(values.length).toBeGreaterThan(20);
    expect(values.filter((name) => !ROOT_NAMES.includes(name))).toEqual([]);
  }, 60_000);

  it('loads the core without the optional integrations installed', async () => {
    const script = `
      const missing = ['@nestjs/terminus', 'bullmq', '@nestjs/bullmq', 'ioredis'].filter((m) => {
        try { require.resolve(m); return false; } catch { return true; }
      });
      const core = require('nestjs-sms');
      const testing = require('nestjs-sms/testing');
      const verify = require('nestjs-sms/verify');
      let health = 'loaded';
      try { require('nestjs-sms/health'); } catch (e) { health = e.code + ' ' + e.message.split('\\n')[0]; }
      console.log(JSON.stringify({
        missing,
        core: ['SmsModule', 'SmsService', 'SmsError', 'SendSmsDto', 'MemoryProvider'].filter((k) => typeof core[k] === 'function'),
        testing: Object.keys(testing).length,
        verify: ['SmsVerifyModule', 'SmsVerifyService', 'MemoryVerifyStore', 'RedisVerifyStore'].filter((k) => typeof verify[k] === 'function'),
        health,
        nested: require('fs').existsSync('node_modules/nestjs-sms/node_modules/@nestjs/common'),
      }));`;
    const { stdout } = await sh(process.execPath, ['-e', script], scratch, 30_000);
    const report = JSON.parse(stdout) as {
      missing: string[];
      core: string[];
      testing: number;
      verify: string[];
      health: string;
      nested: boolean;
    };
    expect(report.missing).toEqual(['@nestjs/terminus', 'bullmq', '@nestjs/bullmq', 'ioredis']);
    expect(report.core).toEqual(['SmsModule', 'SmsService', 'SmsError', 'SendSmsDto', 'MemoryProvider']);
    expect(report.testing).toBeGreaterThan(0);
    // The verify entry point, its Redis store included, loads without ioredis.
    expect(report.verify).toEqual([
      'SmsVerifyModule',
      'SmsVerifyService',
      'MemoryVerifyStore',
      'RedisVerifyStore',
    ]);
    // The health entry point needs its optional peer, and says so.
    expect(report.health).toMatch(/MODULE_NOT_FOUND .*@nestjs\/terminus/);
    expect(report.nested).toBe(false);
  }, 30_000);

  it('resolves every subpath of the exports map', async () => {
    const subpaths = Object.keys(MANIFEST.exports).map((key) => `${MANIFEST.name}${key.slice(1)}`);
    const script = `console.log(JSON.stringify(${JSON.stringify(subpaths)}.map((s) => {
      try { return require.resolve(s).replace(/\\\\/g, '/').split('node_modules/').pop(); } catch (e) { return 'unresolved: ' + s; }
    })))`;
    const { stdout } = await sh(process.execPath, ['-e', script], scratch, 30_000);
    expect(JSON.parse(stdout)).toEqual([
      'nestjs-sms/dist/index.js',
      'nestjs-sms/dist/driver/index.js',
      'nestjs-sms/dist/health/index.js',
      'nestjs-sms/dist/queue/index.js',
      'nestjs-sms/dist/testing/index.js',
      'nestjs-sms/dist/verify/index.js',
      'nestjs-sms/package.json',
    ]);
  }, 30_000);

  it.each(['node10', 'node16'])(
    'gives TypeScript its types with moduleResolution %s',
    async (resolution) => {
      writeFileSync(join(scratch, 'check.ts'), readFileSync(join(FIXTURES, 'check.ts')));
      const compilerOptions = {
        noEmit: true,
        strict: true,
        skipLibCheck: true,
        target: 'es2022',
        module: resolution === 'node16' ? 'node16' : 'commonjs',
        moduleResolution: resolution,
        types: [],
      };
      const config = `tsconfig.${resolution}.json`;
      writeFileSync(join(scratch, config), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
      await expect(sh(process.execPath, [TSC, '-p', config], scratch, 60_000)).resolves.toBeDefined();
    },
    60_000,
  );

  // Last: these install the optional peer into the scratch app.
  it.each([
    ['the newest of the peer range', MANIFEST.peerDependencies['@opentelemetry/api']],
    ['the lowest of the peer range', '1.9.0'],
  ])(
    'loads and sends with @opentelemetry/api installed (%s: %s) and no SDK registered',
    async (_, spec) => {
      await sh(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', `@opentelemetry/api@${spec}`],
        scratch,
      );
      const report = await runApp();
      expectSent(report);
      if (spec === '1.9.0') expect(report.openTelemetryApi?.version).toBe('1.9.0');
      else expect(report.openTelemetryApi?.version).toMatch(/^1\.(9|[1-9]\d)\.\d+$/);
      // The library found the peer and used it (a no-op without an SDK).
      expect(report.openTelemetryApi?.loaded).toBe(true);
    },
    90_000,
  );
});
