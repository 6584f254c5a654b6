import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Compatibility matrix: the packed tarball installed from outside the repository into
 *  (a) a NestJS 11 application written as CommonJS (`require`), and
 *  (b) a NestJS 12 application written as ESM (`"type": "module"`, `import`), the packages of Nest 12
 *      being ESM only.
 * Each boots `SmsModule.forRootAsync` with the memory driver plus `SmsHealthIndicator`, sends one
 * message over HTTP and reads the health endpoint (see `app/define-app.cjs`).
 *
 * The package ships one CommonJS build: an ESM application imports it (Node reads its named exports),
 * and its own `require('@nestjs/common')` loads Nest 12's ESM build (Node ≥ 20.19 loads ESM through
 * `require`), the same module instance as the application's, so the decorators and the DI container
 * are shared.
 */

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const APP_SOURCES = join(__dirname, 'app');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'libs/sms/package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const TARBALL = join(ROOT, 'dist', `${MANIFEST.name}-${MANIFEST.version}.tgz`);

/** npm without prompts, progress bars or update checks; the default (shared) cache. */
const NPM_ENV = {
  ...process.env,
  CI: 'true',
  npm_config_loglevel: 'error',
  npm_config_progress: 'false',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

interface ScratchApp {
  label: string;
  nest: 11 | 12;
  type: 'commonjs' | 'module';
  entry: string;
  dependencies: string[];
}

const APPS: ScratchApp[] = [
  {
    label: 'NestJS 11, CommonJS',
    nest: 11,
    type: 'commonjs',
    entry: 'main.cjs',
    dependencies: [
      '@nestjs/axios@^4',
      '@nestjs/common@^11',
      '@nestjs/core@^11',
      '@nestjs/platform-express@^11',
      '@nestjs/terminus@^11',
    ],
  },
  {
    label: 'NestJS 12, ESM',
    nest: 12,
    type: 'module',
    entry: 'main.mjs',
    dependencies: [
      '@nestjs/axios@^12',
      '@nestjs/common@^12',
      '@nestjs/core@^12',
      '@nestjs/platform-express@^12',
      '@nestjs/terminus@^12',
    ],
  },
];

/** What a scratch application prints on its last line. */
interface AppReport {
  moduleSystem: 'commonjs' | 'esm';
  smsEntry: string;
  sent: {
    status: number;
    body: {
      provider: string;
      messages: Array<{ to: string; text: string; accepted: boolean; id?: string; status: string }>;
    };
  };
  outbox: { status: number; body: Array<{ to: string; text: string; status: string }> };
  health: {
    status: number;
    body: { status: string; info: Record<string, Record<string, unknown>>; error: object };
  };
}

async function sh(command: string, args: string[], cwd: string, timeout: number) {
  try {
    return await run(command, args, { cwd, env: NPM_ENV, timeout, maxBuffer: 32 * 1024 * 1024 });
  } catch (e) {
    const { stdout, stderr, message } = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

function installedVersion(dir: string, name: string): string {
  return (
    JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

describe('compatibility with NestJS 11 (CommonJS) and NestJS 12 (ESM)', () => {
  const scratch = new Map<number, string>();
  const installs = new Map<number, Promise<unknown>>();
  let workspace: string;

  beforeAll(async () => {
    await sh('npm', ['run', 'pack:sms'], ROOT, 180_000);
    workspace = mkdtempSync(join(tmpdir(), 'nestjs-sms-compat-'));
    // A copy of the tarball of this run: another spec may pack again while the installs run.
    const tarball = join(workspace, `${MANIFEST.name}-${MANIFEST.version}.tgz`);
    copyFileSync(TARBALL, tarball);
    for (const app of APPS) {
      const dir = mkdtempSync(join(workspace, `nest${app.nest}-`));
      scratch.set(app.nest, dir);
      const manifest = { name: `scratch-nest${app.nest}`, version: '0.0.0', private: true, type: app.type };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
      for (const file of readdirSync(APP_SOURCES)) copyFileSync(join(APP_SOURCES, file), join(dir, file));
      const install = [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        ...app.dependencies,
      ];
      installs.set(app.nest, sh('npm', [...install, 'reflect-metadata', 'rxjs'], dir, 240_000));
    }
    // Both installs run at once; each application's tests wait for (and fail on) its own.
    await Promise.allSettled(installs.values());
  }, 420_000);

  afterAll(() => {
    if (workspace && !process.env.KEEP_SCRATCH) rmSync(workspace, { recursive: true, force: true });
  });

  it('installs every scratch application outside the repository', () => {
    expect(workspace.startsWith(ROOT)).toBe(false);
    expect([...scratch.keys()]).toEqual([11, 12]);
  });

  describe.each(APPS)('$label', (app) => {
    let report: AppReport;
    let dir: string;

    beforeAll(async () => {
      dir = scratch.get(app.nest)!;
      await installs.get(app.nest);
      const { stdout } = await sh(process.execPath, [app.entry], dir, 60_000);
      report = JSON.parse(stdout.trim().split('\n').pop()!) as AppReport;
    }, 60_000);

    it(`runs on the installed NestJS ${app.nest} with one copy of @nestjs/common and @nestjs/core`, () => {
      expect(installedVersion(dir, '@nestjs/core').split('.')[0]).toBe(String(app.nest));
      expect(installedVersion(dir, '@nestjs/common').split('.')[0]).toBe(String(app.nest));
      expect(installedVersion(dir, '@nestjs/terminus').split('.')[0]).toBe(String(app.nest));
      expect(installedVersion(dir, MANIFEST.name)).toBe(MANIFEST.version);
      for (const peer of ['@nestjs/common', '@nestjs/core', '@nestjs/terminus']) {
        expect(existsSync(join(dir, 'node_modules', MANIFEST.name, 'node_modules', peer))).toBe(false);
      }
    });

    it('installs without an invalid or missing peer dependency anywhere in the tree', async () => {
      await expect(sh('npm', ['ls', '--all'], dir, 60_000)).resolves.toBeDefined();
    }, 60_000);

    it(`loads the package as ${app.type === 'module' ? 'an ES module import' : 'a CommonJS require'}`, () => {
      expect(report.moduleSystem).toBe(app.type === 'module' ? 'esm' : 'commonjs');
      expect(report.smsEntry.replace(/\\/g, '/')).toMatch(/node_modules\/nestjs-sms\/dist\/index\.js$/);
    });

    it('sends one message over HTTP through SmsModule.forRootAsync and the memory driver', () => {
      expect(report.sent.status).toBe(201);
      expect(report.sent.body.provider).toBe('dev');
      expect(report.sent.body.messages).toEqual([
        expect.objectContaining({
          to: '79255070602',
          text: 'Привет из Nest',
          accepted: true,
          status: 'delivered',
        }),
      ]);
      expect(report.sent.body.messages[0].id).toEqual(expect.any(String));
      expect(report.outbox).toEqual({
        status: 200,
        body: [{ to: '79255070602', text: 'Привет из Nest', status: 'delivered' }],
      });
    });

    it('reports the provider up on the health endpoint through SmsHealthIndicator', () => {
      expect(report.health.status).toBe(200);
      expect(report.health.body.status).toBe('ok');
      expect(report.health.body.error).toEqual({});
      expect(report.health.body.info.sms).toEqual(
        expect.objectContaining({
          status: 'up',
          provider: 'dev',
          balance: 0,
          currency: 'RUB',
          circuit: 'closed',
        }),
      );
      expect(report.health.body.info['sms-config']).toEqual(
        expect.objectContaining({ status: 'up', providers: ['dev'], defaultProvider: 'dev' }),
      );
    });
  });
});
