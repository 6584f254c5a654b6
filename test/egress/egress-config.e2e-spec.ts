import { Test } from '@nestjs/testing';
import { SmsConfigurationError, SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import {
  egressConfigProblems,
  HTTP_CONFIG_FIELDS,
  providerConfigProblems,
  smsRuDriver,
} from 'nestjs-sms/driver';
import { withProxyEnv } from './egress-kit';

const PASSWORD = 'cfg-pr0xy-passw0rd';

async function startError(providers: SmsModuleOptions['providers']): Promise<unknown> {
  const moduleRef = await Test.createTestingModule({ imports: [SmsModule.forRoot({ providers })] })
    .compile()
    .catch((e: unknown) => e);
  if (moduleRef instanceof Error) return moduleRef;
  await (moduleRef as { close(): Promise<void> }).close();
  return undefined;
}

describe('proxy and tls in a provider config', () => {
  it('are fields of every HTTP provider', () => {
    expect(HTTP_CONFIG_FIELDS).toEqual(expect.arrayContaining(['proxy', 'tls']));
  });

  it('accept a proxy URL with or without credentials, false, and every tls field', () => {
    for (const proxy of <Array<string | false>>[
      'http://127.0.0.1:3128',
      `https://user:${PASSWORD}@proxy.example:443`,
      false,
    ]) {
      expect(egressConfigProblems({ proxy })).toEqual([]);
    }
    expect(
      egressConfigProblems({
        tls: {
          ca: ['PEM', Buffer.from('PEM')],
          cert: 'PEM',
          key: Buffer.from('PEM'),
          passphrase: 'x',
          rejectUnauthorized: true,
        },
      }),
    ).toEqual([]);
  });

  it.each([
    [`socks5://user:${PASSWORD}@127.0.0.1:1080`],
    [`http://user:${PASSWORD}@`],
    [`user:${PASSWORD}@127.0.0.1:3128`],
    [''],
    [true],
    [3128],
    // Credentials that are not valid URL-encoding (they are decoded for the Proxy-Authorization header).
    [`http://user:%zz${PASSWORD}@127.0.0.1:3128`],
    [`http://%E0${PASSWORD}@127.0.0.1:3128`],
  ])('refuses the proxy %j at start, without repeating it', async (proxy) => {
    const config = { driver: 'smsru' as const, apiId: 'cfg-api-id', proxy: proxy as string };
    expect(providerConfigProblems(config, smsRuDriver)).toEqual([
      {
        field: 'proxy',
        message:
          'must be an http:// or https:// URL (http://[user:pass@]host:port, credentials URL-encoded) or false',
      },
    ]);
    const error = await startError({ main: config });
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain('"proxy" must be an http:// or https:// URL');
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it.each([
    [{ tls: 'PEM' }, 'tls'],
    [{ tls: [] }, 'tls'],
    [{ tls: { ca: 42 } }, 'tls.ca'],
    [{ tls: { ca: [] } }, 'tls.ca'],
    [{ tls: { ca: ['PEM', 1] } }, 'tls.ca'],
    [{ tls: { cert: 'PEM' } }, 'tls.key'],
    [{ tls: { key: 'PEM' } }, 'tls.cert'],
    [{ tls: { cert: {}, key: 'PEM' } }, 'tls.cert'],
    [{ tls: { passphrase: 1 } }, 'tls.passphrase'],
    [{ tls: { rejectUnauthorized: 'no' } }, 'tls.rejectUnauthorized'],
    [{ tls: { rejectUnauthorised: false } }, 'tls.rejectUnauthorised'],
  ])('refuses %j at start, naming "%s"', async (override, field) => {
    const config = { driver: 'smsru' as const, apiId: 'cfg-api-id', ...(override as object) };
    expect(providerConfigProblems(config, smsRuDriver).map((p) => p.field)).toEqual([field]);
    const error = await startError({ main: config });
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain(`"${field}"`);
  });

  it('suggests the field a tls typo meant', () => {
    const [problem] = egressConfigProblems({ tls: { rejectUnauthorised: false } as never });
    expect(problem.message).toContain('did you mean `rejectUnauthorized`?');
  });

  it.each([
    [{ HTTPS_PROXY: `socks5://user:${PASSWORD}@127.0.0.1:1080` }],
    [{ ALL_PROXY: `socks5://user:${PASSWORD}@127.0.0.1:1080` }],
    [{ HTTPS_PROXY: `http://user:%zz${PASSWORD}@127.0.0.1:3128` }],
  ])(
    'refuses a proxy of the environment %j that is not a usable http(s) URL, without repeating it',
    async (env) => {
      const error = await withProxyEnv(env, () =>
        startError({ main: { driver: 'smsru', apiId: 'cfg-api-id' } }),
      );
      expect(error).toBeInstanceOf(SmsConfigurationError);
      expect((error as Error).message).toContain(
        'the proxy of the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY) must be an http:// or https:// URL',
      );
      expect((error as Error).message).not.toContain(PASSWORD);
    },
  );
});
