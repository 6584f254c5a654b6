import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CODE_LANGUAGES, ROOT, describeBlock, docBlocks, docFiles, exampleText } from './doc-blocks';

/** Every `*.e2e-spec.ts` under test/, with the repository-relative files it imports. */
function specImports(): Map<string, Set<string>> {
  const specs = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.e2e-spec.ts')) {
        const imports = new Set<string>();
        for (const [, spec] of readFileSync(path, 'utf8').matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)'/g)) {
          imports.add(relative(ROOT, resolve(dirname(path), spec)));
        }
        specs.set(relative(ROOT, path), imports);
      }
    }
  };
  walk(join(ROOT, 'test'));
  return specs;
}

const blocks = docFiles().flatMap(docBlocks);
const codeBlocks = blocks.filter((b) => CODE_LANGUAGES.has(b.language));

/**
 * Every code block of the READMEs and docs/ is a file (or a `// #region` of one) that the typecheck
 * compiles under `strict` and an end-to-end spec runs: the block must be that text exactly.
 */
describe('documentation code blocks', () => {
  it('finds the blocks of both READMEs and the guides', () => {
    const docs = new Set(codeBlocks.map((b) => b.doc));
    expect(docs).toContain('README.md');
    expect(docs).toContain('libs/sms/README.md');
    expect(docs).toContain('docs/reliability.md');
  });

  it('gives every fenced block a language', () => {
    expect(blocks.filter((b) => b.language === '').map(describeBlock)).toEqual([]);
  });

  it('names the example file of every code block', () => {
    expect(codeBlocks.filter((b) => b.example === undefined).map(describeBlock)).toEqual([]);
  });

  it.each(codeBlocks.filter((b) => b.example !== undefined).map((b) => [describeBlock(b), b] as const))(
    '%s is its example, to the character',
    (_where, block) => {
      expect(exampleText(block.example!)).toBe(block.code);
    },
  );

  it('runs every example from an end-to-end spec', () => {
    const specs = specImports();
    const notRun = [...new Set(codeBlocks.map((b) => b.example?.split('#')[0]))]
      .filter((path): path is string => path !== undefined)
      .filter((path) => {
        const module = path.replace(/\.ts$/, '');
        if (specs.has(path)) return false;
        return ![...specs.values()].some((imports) => imports.has(module) || imports.has(path));
      });
    expect(notRun).toEqual([]);
  });
});
