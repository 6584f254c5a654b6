/**
 * Rewrites every marked code block of the READMEs and docs/ from its example file (or region):
 * `node -r @swc-node/register scripts/sync-doc-examples.ts`. Run `npx prettier --write` on the docs
 * afterwards; test/docs/doc-blocks.e2e-spec.ts checks that blocks and files agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, docBlocks, docFiles, exampleText } from '../test/docs/doc-blocks';

for (const doc of docFiles()) {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  // From the last block up, so that the line numbers of the earlier ones stay right.
  const blocks = docBlocks(doc)
    .filter((b) => b.example !== undefined)
    .reverse();
  let changed = 0;
  for (const block of blocks) {
    const text = exampleText(block.example!);
    if (text === undefined) throw new Error(`${doc}:${block.line}: ${block.example} does not exist`);
    if (text === block.code) continue;
    const bodyLines = block.code.split('\n').length - 1;
    lines.splice(block.line, bodyLines, ...text.replace(/\n$/, '').split('\n'));
    changed++;
  }
  if (changed > 0) {
    writeFileSync(join(ROOT, doc), lines.join('\n'));
    process.stdout.write(`${doc}: ${changed} block(s) rewritten\n`);
  }
}
