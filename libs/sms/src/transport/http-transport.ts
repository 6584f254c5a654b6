import { type Agent, type AgentOptions } from 'node:http';
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosResponse, type GenericAbortSignal } from 'axios';
import {
  BulkheadPolicy,
  DelegateBackoff,
  ExponentialBackoff,
  type IBackoff,
  type IRetryBackoffContext,
  bulkhead,
  handleWhen,
  noop,
  retry,
  type IPolicy,
} from 'cockatiel';
import { SmsError, RECONCILE_HINT, type SmsOutcome } from '../errors';
import { type SmsRetryOptions } from '../interfaces';
import { classifyHttpStatus, classifyTransportError } from './classify';
import { createEgressAgents, type SmsEgressOptions } from './egress';
import { nodeHttpAdapter } from './node-http.adapter';
import { redact } from './secrets';
import { countRetry, traceHttpTry } from '../telemetry/http';

/**
 * A kept-alive socket unused this long is closed: below the common server keep-alive timeouts
 * (Node's 5 s, Apache's 5 s, nginx's 75 s). Node's agent also honours a shorter `Keep-Alive:
 * timeout=N` the server announces (it closes the socket a second before N).
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * The largest answer read from a provider, in bytes. The largest real ones (a send to 100 numbers,
 * a status of 100 ids) are tens of KB; a provider, proxy or gateway that answers more is cut off
 * there instead of filling the memory, and its answer treated as unreadable (a send's outcome is then
 * unknown).
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** A provider's answer, as text. */
export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
}

/** Form fields; `undefined` values are left out. */
export type FormFields = Record<string, string | number | boolean | undefined>;

/** How one call may be repeated. */
export interface CallOptions {
  /**
   * A read (status, balance, cost) may be repeated after any failure, a send only after one that
   * provably did not reach the provider. Default `false`.
   */
  idempotent?: boolean;
  /** The caller's overall deadline: aborts the request in flight. */
  signal?: AbortSignal;
  /** When the caller's overall deadline passes (epoch ms): no retry waits past it. */
  deadlineAt?: number;
  /** `false`: one attempt, whatever the transport's `retry` settings. */
  retry?: false;
}

/** A retry or a give-up, for the service's events and logs. */
export interface TransportRetryEvent {
  provider: string;
  attempt: number;
  delayMs: number;
  error: SmsError;
}

/** Settings of one provider's transport; `proxy` and `tls` say how it reaches the provider. */
export interface HttpTransportOptions extends SmsEgressOptions {
  /** The provider's name, for errors. */
  provider: string;
  baseUrl: string;
  timeoutMs: number;
  maxConcurrency: number;
  retry: Required<SmsRetryOptions> | false;
  /** Values that must never appear in an error (credentials); scrubbed from answer excerpts. */
  secrets: readonly string[];
  onRetry?: (event: TransportRetryEvent) => void;
  /** How long an idle kept-alive socket stays open. Default `IDLE_SOCKET_TIMEOUT_MS`. */
  idleSocketTimeoutMs?: number;
}

/**
 * The one place that does HTTP for the drivers: a keep-alive agent it owns, per-request timeout,
 * bounded concurrency, retries of what provably was not sent, and secret-free `SmsError`s.
 *
 * Credentials travel in the form body, never in the URL.
 */
export class HttpTransport {
  private readonly http: HttpService;
  private readonly httpAgent: Agent;
  private readonly httpsAgent: Agent;
  private readonly bulkhead: BulkheadPolicy;
  /** Requests go to an HTTP proxy as absolute-URI requests: an answer may be the proxy's own. */
  private readonly forwardProxy: boolean;

  constructor(private readonly options: HttpTransportOptions) {
    // Idle sockets are dropped before the server drops them, which keeps the "server closed the idle
    // socket as we wrote" race rare: a request lost that way was written, so its outcome is unknown.
    // The agent's `timeout` is what Node applies to a socket in the free pool (it destroys it), and
    // `lifo` reuses the most recently used socket, the least likely to be stale.
    const agentOptions: AgentOptions = {
      keepAlive: true,
      maxSockets: options.maxConcurrency,
      keepAliveMsecs: 1000,
      timeout: options.idleSocketTimeoutMs ?? IDLE_SOCKET_TIMEOUT_MS,
      scheduling: 'lifo',
    };
    const egress = createEgressAgents(options.provider, options.baseUrl, agentOptions, options);
    this.httpAgent = egress.httpAgent;
    this.httpsAgent = egress.httpsAgent;
    this.forwardProxy = egress.proxy !== undefined && new URL(options.baseUrl).protocol === 'http:';
    // The proxy's credentials are kept out of every error like the provider's.
    if (egress.secrets.length > 0)
      this.options = { ...options, secrets: [...options.secrets, ...egress.secrets] };
    this.http = new HttpService(
      axios.create({
        baseURL: options.baseUrl.replace(/\/+$/, ''),
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        maxRedirects: 0,
        maxContentLength: MAX_ANSWER_BYTES,
        // The agents do the proxying (see ./egress): axios must not add its own from the environment.
        proxy: false,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          Accept: 'application/json',
        },
      }),
    );
    this.bulkhead = bulkhead(options.maxConcurrency, Number.MAX_SAFE_INTEGER);
  }

  /** Requests in flight now (for tests and health). */
  get inFlight(): number {
    return this.bulkhead.executionSlots === undefined
      ? 0
      : this.options.maxConcurrency - this.bulkhead.executionSlots;
  }

  /**
   * POSTs a form to `path` and hands the answer to `parse`, all inside the retry policy: a parser
   * that throws an `unavailable` `SmsError` (a provider's "temporarily unavailable") is retried like
   * a refused connection. A send is retried only after `unavailable` (provably not sent); a read
   * after `unknown` too.
   */
  async postForm<T>(
    path: string,
    fields: FormFields,
    parse: (answer: HttpAnswer) => T,
    opts: CallOptions = {},
  ): Promise<T> {
    const body = encodeForm(fields);
    const { policy, pastDeadline } = this.retryPolicy(
      opts.idempotent ? isRetryableRead : isRetryableSend,
      opts.deadlineAt,
      opts.retry,
    );
    let lastError: SmsError | undefined;
    let tries = 0;
    try {
      return await policy.execute(async ({ signal }) => {
        if (lastError && (pastDeadline() || signal.aborted)) throw lastError;
        try {
          const { provider, baseUrl } = this.options;
          const answer = await this.bulkhead.execute(() =>
            traceHttpTry(provider, baseUrl, path, tries++, () => this.post(path, body, opts.signal)),
          );
          return parse(answer);
        } catch (e) {
          lastError = e instanceof SmsError ? e : classifyTransportError(this.options.provider, e, false);
          throw lastError;
        }
      }, opts.signal);
    } catch (e) {
      if (e instanceof SmsError) throw e;
      throw lastError ?? classifyTransportError(this.options.provider, e, false);
    }
  }

  /** A short excerpt of an answer for error messages, without any configured secret. */
  excerpt(body: string): string {
    return redact(body, this.options.secrets) || '(empty body)';
  }

  /**
   * Builds a `BAD_RESPONSE` for an answer that is not what the API promises: class `unknown` (the
   * provider may have acted on the request), or `refused` with `not_sent` (an answer that proves
   * nothing was carried out, such as a read's).
   */
  badResponse(answer: HttpAnswer, what: string, outcome: SmsOutcome = 'unknown'): SmsError {
    const hint = outcome === 'unknown' ? ` The outcome is unknown. ${RECONCILE_HINT}` : '';
    return new SmsError(
      `${this.options.provider}: ${what} (HTTP ${answer.status}: ${this.excerpt(answer.body)}).${hint}`,
      {
        provider: this.options.provider,
        code: 'BAD_RESPONSE',
        failure: outcome === 'unknown' ? 'unknown' : 'refused',
        httpStatus: answer.status,
      },
    );
  }

  /** Closes the sockets kept alive. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async post(path: string, body: string, deadline: AbortSignal | undefined): Promise<HttpAnswer> {
    // Aborted by its own timer or by the caller's signal; both are let go as soon as the answer is in.
    const abort = new RequestAbort();
    const timer = setTimeout(abort.abort, this.options.timeoutMs).unref();
    if (deadline?.aborted) abort.abort();
    else deadline?.addEventListener('abort', abort.abort, { once: true });
    let response: AxiosResponse<string>;
    try {
      // The axios instance itself, with the smallest config a request can have: `HttpService.post`
      // would wrap the promise in an Observable (and make a cancel source it cancels afterwards),
      // `axios.post` would merge the config once more before `request` merges it with the defaults.
      response = await this.http.axiosRef.request<string>({
        method: 'post',
        url: path,
        data: body,
        signal: abort,
        adapter: nodeHttpAdapter,
      });
    } catch (e) {
      throw classifyTransportError(this.options.provider, e, abort.aborted);
    } finally {
      clearTimeout(timer);
      deadline?.removeEventListener('abort', abort.abort);
    }
    const answer: HttpAnswer = {
      status: response.status,
      body: typeof response.data === 'string' ? response.data : '',
      contentType: String(response.headers['content-type'] ?? ''),
    };
    if (response.status < 200 || response.status >= 300) {
      throw classifyHttpStatus(
        this.options.provider,
        response.status,
        response.headers['retry-after'],
        this.excerpt(answer.body),
        this.forwardProxy,
      );
    }
    return answer;
  }

  /**
   * Retries with exponential backoff and jitter, waiting at least what a `Retry-After` asks, and
   * giving up at once when the next wait would end past the deadline.
   */
  private retryPolicy(
    shouldRetry: (e: SmsError) => boolean,
    deadlineAt = Infinity,
    enabled?: false,
  ): { policy: IPolicy; pastDeadline: () => boolean } {
    const settings = enabled === false ? false : this.options.retry;
    if (settings === false || settings.maxAttempts <= 1) return { policy: noop, pastDeadline: () => false };
    const exponential = new ExponentialBackoff({
      initialDelay: settings.initialDelayMs,
      maxDelay: settings.maxDelayMs,
    });
    let pastDeadline = false;
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>(
      (context, previous) => {
        const next = previous ? previous.next(context) : exponential.next();
        const error = 'error' in context.result ? context.result.error : undefined;
        const retryAfterMs = error instanceof SmsError ? (error.retryAfterSeconds ?? 0) * 1000 : 0;
        const delay = Math.max(next.duration, retryAfterMs);
        if (Date.now() + delay >= deadlineAt) pastDeadline = true;
        return { delay: pastDeadline ? 0 : delay, state: next };
      },
    );
    const policy = retry(
      handleWhen((e) => e instanceof SmsError && !pastDeadline && shouldRetry(e)),
      { maxAttempts: settings.maxAttempts - 1, backoff },
    );
    policy.onRetry((event) => {
      if (!pastDeadline && 'error' in event && event.error instanceof SmsError) {
        countRetry(this.options.provider, event.error);
        this.options.onRetry?.({
          provider: this.options.provider,
          attempt: event.attempt,
          delayMs: event.delay,
          error: event.error,
        });
      }
    });
    return { policy, pastDeadline: () => pastDeadline };
  }
}

/**
 * The abort switch of one request, in the shape axios takes (`GenericAbortSignal`): a plain object,
 * because an `AbortController` (an `EventTarget`) per request costs more than the rest of the
 * transport's bookkeeping together (see docs/benchmark.md).
 */
class RequestAbort implements GenericAbortSignal {
  aborted = false;
  private listeners: Array<() => void> = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  /** Aborts the request (once); a bound function, handed to timers and signals as it is. */
  readonly abort = (): void => {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this.listeners) listener();
  };
}

/** A send is repeated only when it provably was not carried out. */
const isRetryableSend = (e: SmsError): boolean => e.failure === 'unavailable';
/** A read may be repeated after an unknown outcome as well: repeating it changes nothing. */
const isRetryableRead = (e: SmsError): boolean => e.failure === 'unavailable' || e.failure === 'unknown';

/** URL-encodes form fields, leaving out `undefined`; booleans become `1`/`0`. */
export function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    params.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params.toString();
}
