import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMS_PACKAGE_VERSION } from './sms.version';

describe('SMS_PACKAGE_VERSION', () => {
  it('is the version of libs/sms/package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(SMS_PACKAGE_VERSION).toBe(manifest.version);
  });
});
