import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README shows an excerpt of the example spec: every line of it must still be in the spec CI runs. */
describe('README example spec', () => {
  it('is an excerpt of test/examples/otp.service.e2e-spec.ts', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Test your application'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const spec = readFileSync(join(__dirname, 'otp.service.e2e-spec.ts'), 'utf8');
    const specLines = new Set(spec.split('\n').map((l) => l.trimEnd()));
    const missing = block!
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '' && !specLines.has(l));
    expect(missing).toEqual([]);
  });
});
