import { type BackoffOptions, type KeepJobs } from 'bullmq';
import { type RedisOptions } from 'ioredis';
import { SmsConfigurationError } from '../errors';
import { SMS_QUEUE_DEFAULTS } from './sms-queue.constants';
import { type SmsQueueConnectionSettings } from './sms-queue-redis';
import { type SmsQueueLimiter, type SmsQueueModuleOptions } from './sms-queue-options.interface';

/** The queue options with every default filled in (internal). */
export interface SmsQueueSettings {
  queueName: string;
  connection: SmsQueueConnectionSettings;
  prefix: string;
  concurrency: number;
  limiter?: SmsQueueLimiter;
  providerLimiters: Record<string, SmsQueueLimiter>;
  attempts: number;
  backoff: BackoffOptions;
  worker: boolean;
  shutdownTimeoutMs: number;
  commandTimeoutMs: number;
  /** How long a job's "send started" mark lives unless cleared. */
  sendMarkTtlMs: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  removeOnComplete: KeepJobs | boolean;
  removeOnFail: KeepJobs | boolean;
}

function problem(message: string): SmsConfigurationError {
  return new SmsConfigurationError(`SmsQueueModule: ${message}`);
}

function whole(value: unknown, field: string, min: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min)) {
    throw problem(`"${field}" must be a whole number of at least ${min}`);
  }
}

function checkLimiter(limit: SmsQueueLimiter, field: string): SmsQueueLimiter {
  if (!limit || typeof limit !== 'object') throw problem(`"${field}" must be { max, duration }`);
  whole(limit.max, `${field}.max`, 1);
  whole(limit.duration, `${field}.duration`, 1);
  if (limit.max === undefined || limit.duration === undefined) {
    throw problem(`"${field}" must be { max, duration }`);
  }
  return { max: limit.max, duration: limit.duration };
}

/**
 * Redis options from a `redis://` or `rediss://` URL: host, port, user, password, database number.
 * The error for a bad URL never repeats the URL (it may hold a password).
 */
export function parseRedisUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('"connection" is not a valid redis:// URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw problem('"connection" URL must start with redis:// or rediss://');
  }
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') {
    if (!/^\d+$/.test(db)) throw problem('"connection" URL path must be a database number');
    options.db = Number(db);
  }
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

/** Checks the `SmsQueueModule` options and fills in the defaults. */
export function resolveSmsQueueOptions(options: SmsQueueModuleOptions, queueName: string): SmsQueueSettings {
  if (!options || typeof options !== 'object') throw problem('options are missing');
  if (typeof queueName !== 'string' || queueName === '' || queueName.includes(':')) {
    throw problem('"queueName" must be a non-empty name without ":"');
  }
  const { connection } = options;
  if (
    connection === undefined ||
    connection === null ||
    (typeof connection !== 'string' && typeof connection !== 'object')
  ) {
    throw problem('"connection" must be a redis:// URL, ioredis options or an ioredis instance');
  }
  const prefix = options.prefix ?? SMS_QUEUE_DEFAULTS.prefix;
  if (typeof prefix !== 'string' || prefix === '') throw problem('"prefix" must be a non-empty string');
  whole(options.concurrency, 'concurrency', 1);
  whole(options.attempts, 'attempts', 1);
  whole(options.shutdownTimeoutMs, 'shutdownTimeoutMs', 0);
  whole(options.commandTimeoutMs, 'commandTimeoutMs', 1);
  whole(options.lockDuration, 'lockDuration', 1);
  whole(options.stalledInterval, 'stalledInterval', 1);
  whole(options.maxStalledCount, 'maxStalledCount', 0);
  const limiter = options.limiter === undefined ? undefined : checkLimiter(options.limiter, 'limiter');
  const providerLimiters: Record<string, SmsQueueLimiter> = {};
  if (options.providerLimiters !== undefined) {
    if (!options.providerLimiters || typeof options.providerLimiters !== 'object') {
      throw problem('"providerLimiters" must map provider names to { max, duration }');
    }
    for (const [name, limit] of Object.entries(options.providerLimiters)) {
      providerLimiters[name] = checkLimiter(limit, `providerLimiters.${name}`);
    }
  }
  if (options.backoff !== undefined && (typeof options.backoff !== 'object' || !options.backoff?.type)) {
    throw problem('"backoff" must be { type: "exponential" | "fixed", delay }');
  }
  if (options.worker !== undefined && typeof options.worker !== 'boolean')
    throw problem('"worker" must be a boolean');
  const removeOnFail = options.removeOnFail ?? { ...SMS_QUEUE_DEFAULTS.removeOnFail };
  return {
    queueName,
    connection: typeof connection === 'string' ? parseRedisUrl(connection) : connection,
    prefix,
    concurrency: options.concurrency ?? SMS_QUEUE_DEFAULTS.concurrency,
    limiter,
    providerLimiters,
    attempts: options.attempts ?? SMS_QUEUE_DEFAULTS.attempts,
    backoff: options.backoff ?? { ...SMS_QUEUE_DEFAULTS.backoff },
    worker: options.worker ?? true,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? SMS_QUEUE_DEFAULTS.shutdownTimeoutMs,
    lockDuration: options.lockDuration ?? SMS_QUEUE_DEFAULTS.lockDuration,
    stalledInterval: options.stalledInterval ?? SMS_QUEUE_DEFAULTS.stalledInterval,
    maxStalledCount: options.maxStalledCount ?? SMS_QUEUE_DEFAULTS.maxStalledCount,
    removeOnComplete: options.removeOnComplete ?? { ...SMS_QUEUE_DEFAULTS.removeOnComplete },
    removeOnFail,
    commandTimeoutMs: options.commandTimeoutMs ?? SMS_QUEUE_DEFAULTS.commandTimeoutMs,
    sendMarkTtlMs: sendMarkTtl(removeOnFail),
  };
}

/**
 * A send mark outlives the job: at least 7 days, and a day more than failed jobs are kept (an
 * `unknown` job retried by hand must still find its mark).
 */
function sendMarkTtl(removeOnFail: KeepJobs | boolean): number {
  const ageS = typeof removeOnFail === 'object' && 'age' in removeOnFail ? (removeOnFail.age ?? 0) : 0;
  return Math.max(SMS_QUEUE_DEFAULTS.sendMarkTtlMs, ageS * 1_000 + 86_400_000);
}
