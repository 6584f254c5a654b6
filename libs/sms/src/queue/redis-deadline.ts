import { ReplyError } from 'ioredis';
import { SmsError } from '../errors';
import { type SmsFailureClass } from '../errors/sms-error-code';
import { type RedisClient } from './redis-script';

const TIMED_OUT: unique symbol = Symbol('timed out');

/** Default bound of every Redis call of the queue and the Redis stores. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/** What a Redis call is, for the error that ends it (internal). */
export interface RedisCall {
  /** Words for the message: `enqueue`, `getJob`, `idempotency reserve` … */
  what: string;
  /** The class when the call was sent and got no usable answer: `unknown` for writes whose effect matters. */
  sentFailure: SmsFailureClass;
  /**
   * The class when the call never reached Redis. Default `unavailable`; `unknown` where a send
   * happened before the call whatever becomes of it (recording its end).
   */
  unsentFailure?: SmsFailureClass;
  /** What the message adds when the call never went out, e.g. "nothing was queued". */
  notSent: string;
}

/** The error of a Redis call that failed or got no answer (internal). */
function redisError(call: RedisCall, sent: boolean, why: string): SmsError {
  const failure = sent ? call.sentFailure : (call.unsentFailure ?? 'unavailable');
  const effect = sent && failure === 'unknown' ? 'it may have taken effect' : call.notSent;
  return new SmsError(`Redis: ${call.what} failed (${why}); ${effect}`, {
    code: 'UNAVAILABLE',
    failure,
  });
}

/** Callers waiting for each client's next `ready`, behind one listener a client (internal). */
const waiting = new WeakMap<RedisClient, Set<() => void>>();

/** Calls `wake` on the client's next `ready`; returns the function that stops waiting. */
function onNextReady(client: RedisClient, wake: () => void): () => void {
  let waiters = waiting.get(client);
  if (!waiters) {
    const created = new Set<() => void>();
    waiters = created;
    waiting.set(client, created);
    client.once('ready', () => {
      waiting.delete(client);
      for (const waiter of created) waiter();
    });
  }
  waiters.add(wake);
  const set = waiters;
  return () => set.delete(wake);
}

/**
 * Resolves when `client` is connected, or `false` after `ms`. A `lazyConnect` client that has not
 * connected yet is connected (as its first command would). However many calls wait during an outage,
 * the client carries one `ready` listener, and a call that gave up holds nothing.
 */
export function whenReady(client: RedisClient, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise((resolve) => {
    const stop = onNextReady(client, () => {
      clearTimeout(timer);
      resolve(true);
    });
    const timer = setTimeout(
      () => {
        stop();
        resolve(false);
      },
      Math.max(0, ms),
    );
  });
}

/**
 * Runs `send` (Redis commands on `client`) within `timeoutMs` in all: it waits for the connection
 * first and fails `not_sent` if it does not come, without sending anything; once sent, no answer in
 * time or a lost connection is `call.sentFailure`. An error reply of Redis (the command was refused)
 * is `unavailable`. Every failure is an `SmsError` `UNAVAILABLE` (internal).
 */
export async function withinDeadline<T>(
  client: RedisClient | Promise<RedisClient>,
  timeoutMs: number,
  call: RedisCall,
  send: (client: RedisClient) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const notConnected = () => redisError(call, false, `no connection to Redis within ${timeoutMs} ms`);
  const connected = await race(Promise.resolve(client), timeoutMs).catch((): typeof TIMED_OUT => TIMED_OUT);
  if (connected === TIMED_OUT || !(await whenReady(connected, deadline - Date.now()))) throw notConnected();
  try {
    const answer = await race(send(connected), deadline - Date.now());
    if (answer === TIMED_OUT) {
      throw redisError(call, true, `no answer within ${timeoutMs} ms`);
    }
    return answer;
  } catch (e) {
    if (e instanceof SmsError) throw e;
    const message = (e as { message?: unknown } | null)?.message;
    // An error reply: Redis refused the command, so it had no effect.
    throw redisError(call, !(e instanceof ReplyError), typeof message === 'string' ? message : String(e));
  }
}

/** `promise`, or `TIMED_OUT` after `ms`; a late rejection is ignored. */
async function race<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  try {
    return await Promise.race([
      promise,
      new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), TIMED_OUT))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A BullMQ queue, worker or events reader, as far as closing it goes. */
interface Closable {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Closes `closable` (BullMQ waits for Redis to answer `QUIT`), at most `ms`: then it drops the
 * connection, unless it is an application's shared ioredis instance, which BullMQ never quits anyway
 * (internal).
 */
export async function closeWithin(closable: Closable, ms: number, shared: boolean): Promise<void> {
  const closed = closable.close().then(() => true);
  if ((await race(closed, ms).catch(() => true)) === TIMED_OUT && !shared) {
    await race(closable.disconnect(), ms).catch(() => undefined);
  }
}
