import { join } from 'node:path';
import { ROOT_NAMES, exportedNames as namesOf } from './packaging/root-names';

const SRC = join(__dirname, '..', 'libs', 'sms', 'src');

const exportedNames = (entry: string): string[] => namesOf(join(SRC, entry));

describe('the public entry points', () => {
  it('the root exports exactly the pinned names, at most 60', () => {
    const names = exportedNames('index.ts');
    expect(names).toEqual([...ROOT_NAMES].sort());
    expect(names.length).toBeLessThanOrEqual(60);
  });

  it('every runtime value of the root is a pinned name', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const values = Object.keys(require('nestjs-sms') as object);
    expect(values.length).toBeGreaterThan(20);
    for (const name of values) expect(ROOT_NAMES).toContain(name);
  });

  it('nestjs-sms/driver has the contract, the transport, the parser interface and the helpers', () => {
    const names = exportedNames('driver/index.ts');
    for (const name of [
      'SmsDriverDefinition',
      'SmsDriverContext',
      'SmsProvider',
      'HttpTransport',
      'createProviderTransport',
      'SmsWebhookParser',
      'chunkFailure',
      'sendFailure',
      'assembleSend',
      'mapLimited',
      'providerConfigProblems',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('nestjs-sms/testing has the memory provider simulation', () => {
    expect(exportedNames('testing/index.ts')).toEqual(
      expect.arrayContaining(['MemorySimulation', 'MemoryOutbox', 'SmsTestingModule', 'SmsOutbox']),
    );
  });
});
