import { registerAs } from '@nestjs/config';
import { DemoConfigError, type Env } from './sms.config';

/** The `.env` files the demo reads, in this order (the first that sets a variable wins; the process environment wins over both). */
export const DEMO_ENV_FILES = ['.env', 'apps/demo/.env'];

/** Where the demo listens without an API key: this machine only. */
export const LOCAL_HOST = '127.0.0.1';

/** Where the demo listens with an API key when `HOST` is not set: every interface. */
export const DEFAULT_PUBLIC_HOST = '0.0.0.0';

/** 16 to 200 printable ASCII characters, no space: it travels in a header. */
const API_KEY_PATTERN = /^[\x21-\x7e]{16,200}$/;

/** Host names that only this machine reaches. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** How the demo's HTTP server listens and who may call it. */
export interface DemoServerSettings {
  port: number;
  /** The address it binds to: `HOST` with an API key, otherwise a loopback address. */
  host: string;
  /** `DEMO_API_KEY`: every route but the health probes and the webhooks requires it. Absent: local only. */
  apiKey?: string;
  /** A non-loopback `HOST` set without `DEMO_API_KEY`: not used (the demo stays local), said at start. */
  ignoredHost?: string;
}

/**
 * Reads `PORT` (default 3000), `HOST` and `DEMO_API_KEY`. Without a key the demo binds to 127.0.0.1
 * whatever `HOST` says (a loopback `HOST` is kept), so that an unprotected demo is never reachable
 * from another machine; with one it binds to `HOST`, default 0.0.0.0. A bad value stops the start
 * (the key's value is never repeated).
 *
 * @example
 * parseServerEnv({}); // { port: 3000, host: '127.0.0.1' }
 * parseServerEnv({ DEMO_API_KEY: '…', HOST: '10.0.0.5' }); // { port: 3000, host: '10.0.0.5', apiKey: '…' }
 */
export function parseServerEnv(env: Env): DemoServerSettings {
  const problems: string[] = [];
  const rawPort = env.PORT?.trim() || '3000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65_535)
    problems.push(`PORT must be a port number (0-65535), not "${rawPort}"`);
  const apiKey = env.DEMO_API_KEY;
  if (apiKey !== undefined && apiKey !== '' && !API_KEY_PATTERN.test(apiKey))
    problems.push(
      'DEMO_API_KEY must be 16 to 200 printable characters without spaces (openssl rand -hex 24)',
    );
  if (problems.length > 0) throw new DemoConfigError(problems);
  const host = env.HOST?.trim() || undefined;
  if (apiKey) return { port, host: host ?? DEFAULT_PUBLIC_HOST, apiKey };
  if (host && LOOPBACK.test(host)) return { port, host: host.replace(/^\[|\]$/g, '') };
  return { port, host: LOCAL_HOST, ...(host ? { ignoredHost: host } : {}) };
}

/**
 * The `server` configuration namespace: port, bound address and the API key.
 *
 * @example
 * const { port, host } = app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY);
 */
export const serverConfig = registerAs('server', (): DemoServerSettings => parseServerEnv(process.env));
