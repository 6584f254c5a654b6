import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformFileSync } from '@swc/core';

const ROOT = join(__dirname, '..', '..');
const SOURCE = join(ROOT, 'libs', 'sms', 'src');
/** Under the repository (its `dist/` is not committed), so the compiled files resolve its node_modules. */
const OUT_ROOT = join(ROOT, 'dist', 'bench');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Compiles the library to CommonJS once (with the repository's swc settings, as the published build
 * would run), so that child processes measure loading JavaScript, not compiling TypeScript on the
 * fly. Returns the path of the compiled `index.js`. `name` is the folder under `dist/bench/`: two
 * names give two copies, loaded as two module instances by one process.
 */
export function compileLibrary(name = 'nestjs-sms'): string {
  const OUT = join(OUT_ROOT, name);
  for (const file of sources(SOURCE)) {
    const { code } = transformFileSync(file, {
      swcrc: false,
      jsc: {
        parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    });
    const out = join(OUT, relative(SOURCE, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
  return join(OUT, 'index.js');
}
