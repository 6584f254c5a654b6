import { jsonDeeperThan } from './body-parsers';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonDeeperThan', () => {
  it('counts the nesting of arrays and objects', () => {
    const batch = '{"items":[{"to":["+79255070602"],"text":"Hi"}]}';
    expect(jsonDeeperThan(bytes(batch), 4)).toBe(false);
    expect(jsonDeeperThan(bytes(batch), 3)).toBe(true);
    expect(jsonDeeperThan(bytes(`{"to":${'['.repeat(2000)}1${']'.repeat(2000)}}`), 10)).toBe(true);
    expect(jsonDeeperThan(bytes('[[],[],{},[[]]]'), 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(bytes(`{"text":"${'[{'.repeat(50)}\\"${'[{'.repeat(50)}"}`), 1)).toBe(false);
    expect(jsonDeeperThan(bytes('{"text":"\\\\"}'), 1)).toBe(false);
    expect(jsonDeeperThan(bytes('{"text":"\\\\",[[{}]]}'), 3)).toBe(true);
    expect(jsonDeeperThan(bytes('{"text":"Привет [ {"}'), 1)).toBe(false);
  });
});
