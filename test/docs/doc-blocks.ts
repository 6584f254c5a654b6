import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root. */
export const ROOT = join(__dirname, '../..');

/** Languages whose blocks must be code that CI compiles and runs. */
export const CODE_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript']);

/** A fenced code block of a Markdown file. */
export interface DocBlock {
  /** The Markdown file, relative to the repository's root. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  /** The block's text, with a final newline. */
  code: string;
  /** `path` or `path#region` of the `<!-- example: … -->` comment right above the fence. */
  example?: string;
}

const EXAMPLE_MARKER = /^<!--\s*example:\s*(\S+)\s*-->$/;

/** Every Markdown file the project documents itself with: both READMEs and `docs/`. */
export function docFiles(): string[] {
  const found = ['README.md', 'libs/sms/README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found;
}

/** The fenced blocks of one Markdown file, each with the example it names (if any). */
export function docBlocks(doc: string): DocBlock[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let above = start - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const marker = above >= 0 ? EXAMPLE_MARKER.exec(lines[above].trim()) : null;
    blocks.push({
      doc,
      line: start + 1,
      language: open[1],
      code: `${body.join('\n')}\n`,
      example: marker?.[1],
    });
  }
  return blocks;
}

/**
 * The text a marker names: a whole file, or the lines between `// #region NAME` and
 * `// #endregion NAME` in it (marker lines left out, common indentation removed). `undefined` when
 * the file or the region does not exist.
 */
export function exampleText(example: string): string | undefined {
  const [path, region] = example.split('#', 2);
  const file = join(ROOT, path);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  if (region === undefined) return text;
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.trim() === `// #region ${region}`);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === `// #endregion ${region}`);
  if (begin < 0 || end < 0) return undefined;
  const inner = lines.slice(begin + 1, end).filter((l) => !/^\s*\/\/ #(end)?region /.test(l));
  const indent = Math.min(...inner.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return `${inner.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** Where a block's example lives, for messages. */
export function describeBlock(block: DocBlock): string {
  return `${block.doc}:${block.line} (${block.language || 'no language'})`;
}

/** The repository-relative path of a file. */
export function repoPath(file: string): string {
  return relative(ROOT, file);
}
