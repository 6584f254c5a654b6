import { SmsConfigurationError } from '../errors';
import { createEgressAgents, isProxyUrl, maskProxyUrl, resolveProxy } from './egress';
import { TrackingHttpProxyAgent, TrackingHttpsProxyAgent } from './proxy-agents';
import { TrackingHttpAgent, TrackingHttpsAgent } from './request-tracking.agent';
import { redact } from './secrets';

const ENV = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

describe('egress', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ENV) delete process.env[name];
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('tells proxy URLs: http or https with a host', () => {
    expect(isProxyUrl('http://127.0.0.1:3128')).toBe(true);
    expect(isProxyUrl('https://u:p@proxy.example')).toBe(true);
    for (const bad of ['socks5://h:1', 'http://', 'proxy:3128', '', 42, undefined])
      expect(isProxyUrl(bad)).toBe(false);
  });

  it('prints a proxy without its credentials', () => {
    expect(maskProxyUrl(new URL('http://user:s3cret@proxy.example:3128/'))).toBe(
      'http://***@proxy.example:3128',
    );
    expect(maskProxyUrl(new URL('https://user@proxy.example'))).toBe('https://***@proxy.example');
    expect(maskProxyUrl(new URL('http://proxy.example:8080'))).toBe('http://proxy.example:8080');
  });

  it('takes the configured proxy over the environment, and none for false', () => {
    process.env.HTTPS_PROXY = 'http://env-proxy:3128';
    expect(resolveProxy('main', 'https://provider.example', 'http://own-proxy:8080')?.host).toBe(
      'own-proxy:8080',
    );
    expect(resolveProxy('main', 'https://provider.example', false)).toBeUndefined();
    expect(resolveProxy('main', 'https://provider.example', undefined)?.host).toBe('env-proxy:3128');
  });

  it('reads the variable of the provider scheme and honours NO_PROXY', () => {
    process.env.http_proxy = 'http://plain-proxy:3128';
    expect(resolveProxy('main', 'https://provider.example', undefined)).toBeUndefined();
    expect(resolveProxy('main', 'http://provider.example', undefined)?.host).toBe('plain-proxy:3128');
    process.env.NO_PROXY = '.provider.example,provider.example';
    expect(resolveProxy('main', 'http://provider.example', undefined)).toBeUndefined();
  });

  it('refuses a proxy of the environment that is not http(s), without repeating it', () => {
    process.env.HTTPS_PROXY = 'socks5://user:env-s3cret@127.0.0.1:1080';
    let error: unknown;
    try {
      resolveProxy('main', 'https://provider.example', undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain('provider "main": the proxy of the environment');
    expect((error as Error).message).not.toContain('env-s3cret');
  });

  it('builds direct agents without a proxy, proxy agents with one', () => {
    const direct = createEgressAgents('main', 'https://provider.example', {}, { proxy: false });
    expect(direct.httpAgent).toBeInstanceOf(TrackingHttpAgent);
    expect(direct.httpsAgent).toBeInstanceOf(TrackingHttpsAgent);
    expect(direct.proxy).toBeUndefined();
    expect(direct.secrets).toEqual([]);
    const proxied = createEgressAgents(
      'main',
      'https://provider.example',
      {},
      { proxy: 'http://u:p%40ss@proxy:3128' },
    );
    expect(proxied.httpAgent).toBeInstanceOf(TrackingHttpProxyAgent);
    expect(proxied.httpsAgent).toBeInstanceOf(TrackingHttpsProxyAgent);
    expect(proxied.proxy).toBe('http://***@proxy:3128');
    // The agent holds the URL without the credentials.
    expect((proxied.httpsAgent as TrackingHttpsProxyAgent).proxy.href).toBe('http://proxy:3128/');
    for (const agent of [proxied.httpAgent, proxied.httpsAgent]) agent.destroy();
  });

  it('keeps every spelling of the proxy credentials secret', () => {
    const { secrets } = createEgressAgents(
      'main',
      'https://provider.example',
      {},
      { proxy: 'http://user:p%40ss%2Fw0rd@proxy:3128' },
    );
    const token = Buffer.from('user:p@ss/w0rd').toString('base64');
    const answer = `denied p@ss/w0rd p%40ss%2Fw0rd user:p@ss/w0rd Basic ${token}`;
    expect(redact(answer, secrets)).toBe('denied [redacted] [redacted] [redacted] Basic [redacted]');
  });

  it('keeps a user name without a password secret: it is the credential (a proxy token)', () => {
    const { secrets } = createEgressAgents(
      'main',
      'https://provider.example',
      {},
      { proxy: 'http://t0k%3Den@proxy:3128' },
    );
    const token = Buffer.from('t0k=en:').toString('base64');
    const answer = `bad user t0k=en (t0k%3Den), Basic ${token}`;
    expect(redact(answer, secrets)).toBe('bad user [redacted] ([redacted]), Basic [redacted]');
  });
});
