#!/usr/bin/env node
/**
 * Builds the nestjs-sms library into a staging folder and packs it as dist/nestjs-sms-<version>.tgz.
 *
 *   npm run pack:sms                  # writes dist/nestjs-sms-<version>.tgz
 *   npm run pack:sms -- --keep        # also keeps the staging folder and prints where it is
 *
 * The staging folder gets the compiled library under dist/ (from libs/sms/tsconfig.lib.json), the
 * package.json and README.md of libs/sms, and the repository LICENSE. The build fails when the output
 * holds a spec file or an import of the `nestjs-sms` path alias (the package must use relative
 * imports), or misses a file that package.json points to.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lib = path.join(root, 'libs', 'sms');
const outDir = path.join(root, 'dist');
const keep = process.argv.includes('--keep');

function fail(message) {
  console.error(`pack:sms: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
    ...options,
  });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    fail(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}`);
  return result.stdout;
}

/** Every file under `dir`, relative to it, with forward slashes. */
function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

/** Every file that `main`, `types` and `exports` name, as paths relative to the package. */
function packageTargets(manifest) {
  const targets = new Map();
  const add = (subpath, target) => targets.set(target.replace(/^\.\//, ''), subpath);
  add('main', manifest.main);
  add('types', manifest.types);
  for (const [subpath, entry] of Object.entries(manifest.exports ?? {})) {
    for (const target of typeof entry === 'string' ? [entry] : Object.values(entry)) add(subpath, target);
  }
  return targets;
}

function checkOutput(staging, manifest) {
  const files = listFiles(path.join(staging, 'dist'));
  const specs = files.filter((f) => /\.(e2e-)?spec\.(js|d\.ts)$/.test(f));
  if (specs.length > 0) fail(`spec files in the build: ${specs.join(', ')}`);

  const alias = /(?:require\(|from\s+|import\()\s*['"]nestjs-sms(?:\/[^'"]*)?['"]/;
  const aliased = files.filter(
    (f) => /\.(js|d\.ts)$/.test(f) && alias.test(fs.readFileSync(path.join(staging, 'dist', f), 'utf8')),
  );
  if (aliased.length > 0) fail(`imports of the "nestjs-sms" alias left in: ${aliased.join(', ')}`);

  for (const [target, subpath] of packageTargets(manifest)) {
    if (fs.existsSync(path.join(staging, target))) continue;
    // A subpath whose source folder does not exist yet is announced, not fatal: the build packs what is there.
    const folder = subpath.startsWith('./') ? path.join(lib, 'src', subpath.slice(2)) : undefined;
    if (folder && !fs.existsSync(path.join(folder, 'index.ts'))) {
      console.warn(
        `pack:sms: ${subpath} is not in the package yet (no ${path.relative(root, folder)}/index.ts)`,
      );
      continue;
    }
    fail(`package.json names ${target} (${subpath}), which the build did not produce`);
  }
}

function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(lib, 'package.json'), 'utf8'));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'nestjs-sms-pack-'));
  try {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    run(process.execPath, [
      tsc,
      '-p',
      path.join(lib, 'tsconfig.lib.json'),
      '--outDir',
      path.join(staging, 'dist'),
      '--sourceMap',
      'false',
      '--declarationMap',
      'false',
    ]);
    fs.copyFileSync(path.join(lib, 'package.json'), path.join(staging, 'package.json'));
    fs.copyFileSync(path.join(lib, 'README.md'), path.join(staging, 'README.md'));
    const license = [path.join(lib, 'LICENSE'), path.join(root, 'LICENSE')].find((f) => fs.existsSync(f));
    if (license) fs.copyFileSync(license, path.join(staging, 'LICENSE'));
    else console.warn('pack:sms: no LICENSE file found; the package declares MIT in package.json only');
    checkOutput(staging, manifest);

    fs.mkdirSync(outDir, { recursive: true });
    const tarball = path.join(outDir, `${manifest.name}-${manifest.version}.tgz`);
    fs.rmSync(tarball, { force: true });
    const packed = JSON.parse(
      run('npm', ['pack', staging, '--pack-destination', outDir, '--json', '--ignore-scripts'], {
        env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
      }),
    );
    if (!fs.existsSync(tarball)) fail(`npm pack did not write ${tarball}`);
    const { entryCount, size } = packed[0];
    console.log(`${path.relative(root, tarball)} (${entryCount} files, ${(size / 1024).toFixed(1)} kB)`);
    if (keep) console.log(`staging folder kept: ${staging}`);
  } finally {
    if (!keep) fs.rmSync(staging, { recursive: true, force: true });
  }
}

main();
