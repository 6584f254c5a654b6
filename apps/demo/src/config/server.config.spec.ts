import { parseServerEnv } from './server.config';
import { DemoConfigError } from './sms.config';

const KEY = 'k3y-0f-the-demo-5f1e9a27';

describe('parseServerEnv', () => {
  it('binds to 127.0.0.1 on port 3000 without an API key, whatever HOST says', () => {
    expect(parseServerEnv({})).toEqual({ port: 3000, host: '127.0.0.1' });
    expect(parseServerEnv({ HOST: '0.0.0.0', PORT: '8080' })).toEqual({
      port: 8080,
      host: '127.0.0.1',
      ignoredHost: '0.0.0.0',
    });
    expect(parseServerEnv({ DEMO_API_KEY: '', HOST: '10.1.2.3' }).host).toBe('127.0.0.1');
  });

  it('keeps a loopback HOST without a key', () => {
    expect(parseServerEnv({ HOST: 'localhost' })).toEqual({ port: 3000, host: 'localhost' });
    expect(parseServerEnv({ HOST: '[::1]' })).toEqual({ port: 3000, host: '::1' });
    expect(parseServerEnv({ HOST: '127.0.0.2' })).toEqual({ port: 3000, host: '127.0.0.2' });
  });

  it('binds to HOST, default 0.0.0.0, with an API key', () => {
    expect(parseServerEnv({ DEMO_API_KEY: KEY })).toEqual({ port: 3000, host: '0.0.0.0', apiKey: KEY });
    expect(parseServerEnv({ DEMO_API_KEY: KEY, HOST: '10.1.2.3', PORT: '0' })).toEqual({
      port: 0,
      host: '10.1.2.3',
      apiKey: KEY,
    });
  });

  it('refuses a weak or malformed key and a bad port, never repeating the key', () => {
    for (const key of ['short', 'has a space in the middle', 'x'.repeat(201)]) {
      const error = (() => {
        try {
          return parseServerEnv({ DEMO_API_KEY: key, PORT: '99999' });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DemoConfigError);
      expect((error as DemoConfigError).problems).toEqual([
        'PORT must be a port number (0-65535), not "99999"',
        'DEMO_API_KEY must be 16 to 200 printable characters without spaces (openssl rand -hex 24)',
      ]);
      expect((error as Error).message).not.toContain(key);
    }
  });
});
