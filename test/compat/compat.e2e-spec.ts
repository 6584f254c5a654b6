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
import { type Redis } from 'ioredis';
import { connectRedis, removeKeys, testPrefix } from '../queue/queue-test-kit';

/**
 * Compatibility matrix: the packed tarball installed from outside the repository into
 *  (a) a NestJS 11 application written as CommonJS (`require`), and
 *  (b) a NestJS 12 application written as ESM (`"type": "module"`, `import`), the packages of Nest 12
 *      being ESM only.
 * Each boots `SmsModule.forRootAsync` with the memory driver plus `SmsHealthIndicator`, sends one
 * message over HTTP and reads the health endpoint (see `app/define-app.cjs`).
 *
 * Then the queue, installed as the docs say for each Nest major, step by step in the same application:
 * `npm install bullmq @nestjs/bullmq ioredis` unpinned (bullmq 6, and `@nestjs/bullmq` 12, which is
 * ESM only but loads in a CommonJS application under Node ≥ 20.19), for Nest 11 then
 * `@nestjs/bullmq@^11` (what a Nest 11 application tested with Jest needs), `bullmq@^5`, and for Nest 11
 * the lowest bullmq the peer range allows. Each step
 * runs a queue with a `limiter` and an `events$` subscriber, 20 jobs against the Redis of `REDIS_URL`
 * (see `app/queue-app.cjs`): every job is sent once, and reported once. Without Redis it fails.
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

/** One install of the queue's packages into a scratch application, and the versions it must give. */
interface QueueStep {
  label: string;
  install: string[];
  bullmq: number;
  nestBullmq: number;
  /** The exact bullmq version, where the step pins one. */
  exact?: string;
}

interface ScratchApp {
  label: string;
  nest: 11 | 12;
  type: 'commonjs' | 'module';
  entry: string;
  queueEntry: string;
  dependencies: string[];
  /** In order, each on top of the one before. */
  queueSteps: QueueStep[];
}

const UNPINNED = ['bullmq', '@nestjs/bullmq', 'ioredis'];

const APPS: ScratchApp[] = [
  {
    label: 'NestJS 11, CommonJS',
    nest: 11,
    type: 'commonjs',
    entry: 'main.cjs',
    queueEntry: 'queue-main.cjs',
    dependencies: [
      '@nestjs/axios@^4',
      '@nestjs/common@^11',
      '@nestjs/core@^11',
      '@nestjs/platform-express@^11',
      '@nestjs/terminus@^11',
    ],
    queueSteps: [
      { label: 'unpinned', install: UNPINNED, bullmq: 6, nestBullmq: 12 },
      { label: 'pinned for Jest', install: ['@nestjs/bullmq@^11'], bullmq: 6, nestBullmq: 11 },
      { label: 'on bullmq 5', install: ['bullmq@^5'], bullmq: 5, nestBullmq: 11 },
      // The floor of the peer range: Queue.rateLimit (the limiter) and Job.stalledCounter (getJob).
      {
        label: 'on the lowest bullmq 5 allowed',
        install: ['bullmq@5.49.0'],
        bullmq: 5,
        nestBullmq: 11,
        exact: '5.49.0',
      },
    ],
  },
  {
    label: 'NestJS 12, ESM',
    nest: 12,
    type: 'module',
    entry: 'main.mjs',
    queueEntry: 'queue-main.mjs',
    dependencies: [
      '@nestjs/axios@^12',
      '@nestjs/common@^12',
      '@nestjs/core@^12',
      '@nestjs/platform-express@^12',
      '@nestjs/terminus@^12',
    ],
    queueSteps: [
      { label: 'unpinned', install: UNPINNED, bullmq: 6, nestBullmq: 12 },
      { label: 'on bullmq 5', install: ['bullmq@^5'], bullmq: 5, nestBullmq: 12 },
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

/** What the queue run of a scratch application prints on its last line. */
interface QueueReport {
  tookMs: number;
  jobIds: string[];
  events: Array<{ type: string; jobId?: string; message?: string }>;
  outbox: Array<{ to: string; text: string }>;
  states: Array<{ jobId: string; state: string; error?: unknown }>;
}

const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

async function sh(command: string, args: string[], cwd: string, timeout: number, env: object = {}) {
  try {
    return await run(command, args, {
      cwd,
      env: { ...NPM_ENV, ...env },
      timeout,
      maxBuffer: 32 * 1024 * 1024,
    });
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
  let redis: Redis | undefined;
  const prefix = testPrefix('compat');

  beforeAll(async () => {
    // The queue runs need Redis: without it, this fails at once (never a skip), before any install.
    redis = await connectRedis();
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
      const install = [...INSTALL, tarball, ...app.dependencies];
      installs.set(app.nest, sh('npm', [...install, 'reflect-metadata', 'rxjs'], dir, 240_000));
    }
    // Both installs run at once; each application's tests wait for (and fail on) its own.
    await Promise.allSettled(installs.values());
  }, 420_000);

  afterAll(() => {
    if (workspace && !process.env.KEEP_SCRATCH) rmSync(workspace, { recursive: true, force: true });
  });

  afterAll(async () => {
    if (!redis) return;
    await removeKeys(redis, prefix);
    redis.disconnect();
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

    describe.each(app.queueSteps)('the queue, $label: npm install $install', (step) => {
      let queue: QueueReport;

      beforeAll(async () => {
        await sh('npm', [...INSTALL, ...step.install], dir, 240_000);
        const env = { SMS_QUEUE_PREFIX: `${prefix}-${app.nest}-${step.bullmq}-${step.nestBullmq}` };
        const { stdout } = await sh(process.execPath, [app.queueEntry], dir, 60_000, env);
        queue = JSON.parse(stdout.trim().split('\n').pop()!) as QueueReport;
      }, 300_000);

      it(`gets bullmq ${step.bullmq} and @nestjs/bullmq ${step.nestBullmq}, no invalid peer anywhere`, async () => {
        expect(installedVersion(dir, 'bullmq').split('.')[0]).toBe(String(step.bullmq));
        if (step.exact) expect(installedVersion(dir, 'bullmq')).toBe(step.exact);
        expect(installedVersion(dir, '@nestjs/bullmq').split('.')[0]).toBe(String(step.nestBullmq));
        expect(installedVersion(dir, 'ioredis').split('.')[0]).toBe('5');
        await expect(sh('npm', ['ls', '--all'], dir, 60_000)).resolves.toBeDefined();
      }, 60_000);

      it('sends each of 20 jobs of a limited queue once, and events$ reports each once', () => {
        const texts = Array.from({ length: 20 }, (_, i) => `job ${i}`);
        expect(queue.states.map((job) => job.state)).toEqual(texts.map(() => 'completed'));
        expect(queue.outbox.map((m) => m.text).sort()).toEqual([...texts].sort());
        expect(new Set(queue.outbox.map((m) => m.to)).size).toBe(20);
        expect(queue.events.filter((e) => e.type !== 'completed')).toEqual([]);
        expect(queue.events.map((e) => e.jobId).sort()).toEqual([...queue.jobIds].sort());
        // 10 sends per 500 ms, each holding its slot until 500 ms after it ended: the 11th waits.
        expect(queue.tookMs).toBeGreaterThanOrEqual(450);
      });
    });
  });
});
