import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SRC = resolve(__dirname, '..');
const HEALTH = resolve(__dirname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports, requires or re-exports. */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]);
  return found;
}

describe('@nestjs/terminus stays an optional peer', () => {
  const outside = sourceFiles(SRC).filter((file) => !file.startsWith(HEALTH + sep));

  it('scans the library outside health/', () => {
    expect(outside.length).toBeGreaterThan(20);
    expect(outside.map((f) => relative(SRC, f))).toContain('index.ts');
  });

  it('no file outside health/ imports @nestjs/terminus or reaches into health/', () => {
    const offenders = outside.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter(
          (spec) =>
            spec === '@nestjs/terminus' ||
            spec.startsWith('@nestjs/terminus/') ||
            spec === 'nestjs-sms/health' ||
            (spec.startsWith('.') && resolve(file, '..', spec).startsWith(HEALTH)),
        )
        .map((spec) => `${relative(SRC, file)} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan would catch such an import', () => {
    expect(specifiers("import { HealthIndicatorService } from '@nestjs/terminus';")).toEqual([
      '@nestjs/terminus',
    ]);
    expect(specifiers("const t = require('@nestjs/terminus');")).toEqual(['@nestjs/terminus']);
    expect(specifiers("export * from './health';")).toEqual(['./health']);
  });
});

describe('bullmq stays out of nestjs-sms/health', () => {
  it('loading the health entry (with SmsQueueHealthIndicator) loads neither bullmq nor ioredis', () => {
    const script =
      "require('./libs/sms/src/health');" +
      'const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(f));' +
      "const health = require('./libs/sms/src/health');" +
      'process.stdout.write(JSON.stringify({ loaded, indicator: typeof health.SmsQueueHealthIndicator }));';
    const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: resolve(SRC, '../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ loaded: [], indicator: 'function' });
  });
});
