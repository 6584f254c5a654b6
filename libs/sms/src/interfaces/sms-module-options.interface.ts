import { type Type } from '@nestjs/common';
import { type DeliveryReportHandler } from '../events/delivery-report.interface';
import { type SmsCountryCode } from '../message/phone';
import { type SmsIdempotencyStore } from '../guard/idempotency-store.interface';
import { type SmsRateLimitStore } from '../guard/rate-limit-store.interface';
import { type BuiltInProviderConfig } from '../providers/built-in';
import { type SmsDriverDefinition } from '../providers/driver-definition';
import { type SmsTlsOptions } from '../transport/egress';
import { type SmsProvider } from './sms-provider.interface';

/** Fields every provider config accepts. */
export interface BaseProviderConfig {
  /** Default sender for this provider's sends. */
  sender?: string;
  /** The provider's own test mode for every send (nothing delivered, nothing charged). */
  test?: boolean;
  /** Override the driver's total recipients per call. */
  maxRecipients?: number;
}

/** Fields of every provider that talks HTTP. */
export interface HttpProviderConfig extends BaseProviderConfig {
  /** The API's origin; the driver appends its own paths. */
  baseUrl?: string;
  /** Per-request timeout for this provider; default the module's `timeoutMs`. */
  timeoutMs?: number;
  /** Requests in flight to this provider at most; default the module's `maxConcurrency`. */
  maxConcurrency?: number;
  /**
   * An HTTP proxy for this provider's requests, `http://[user:pass@]host:port` (`https://` for a
   * proxy spoken to over TLS), or `false` for none. Default: `HTTPS_PROXY` / `HTTP_PROXY` and
   * `NO_PROXY` of the environment, read when the module starts.
   */
  proxy?: string | false;
  /** TLS settings of the connections to this provider: CAs to trust, a client certificate. */
  tls?: SmsTlsOptions;
}

/** A driver class of your own, built by Nest DI (it may inject). Other fields reach its `configure`. */
export interface CustomProviderConfig extends BaseProviderConfig {
  driver: Type<SmsProvider>;
  [key: string]: unknown;
}

/**
 * A provider whose driver is a definition of your own (`nestjs-sms/driver`): checked and built as the
 * built-in ones are, its fields checked against the definition's `fields`.
 */
export interface DefinedProviderConfig extends BaseProviderConfig {
  driver: SmsDriverDefinition;
  [key: string]: unknown;
}

/** One entry of `SmsModuleOptions.providers`: a built-in driver's config, or one of your own. */
export type SmsProviderConfig = BuiltInProviderConfig | CustomProviderConfig | DefinedProviderConfig;

/** Retries of requests that provably did not reach the provider. */
export interface SmsRetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** First backoff delay. Default 200 ms. */
  initialDelayMs?: number;
  /** Largest backoff delay (a `Retry-After` may ask for more, up to the deadline). Default 5 000 ms. */
  maxDelayMs?: number;
}

/** Circuit breaker per provider. */
export interface SmsCircuitBreakerOptions {
  /** Consecutive failed sends that open the breaker. Default 5. */
  threshold?: number;
  /** How long an open breaker skips the provider before one probe send may close it. Default 30 000 ms. */
  halfOpenAfterMs?: number;
}

/** Idempotency keys: the same key within `ttlMs` returns the first call's result without sending. */
export interface SmsIdempotencyOptions {
  /** How long a key is remembered. Default 24 h. */
  ttlMs?: number;
  /**
   * Keys kept by the in-memory store at most. When it is full the oldest completed key is forgotten;
   * keys in flight or with an unknown outcome never are: a new key is refused with `RATE_LIMITED`
   * while only such keys are held. Default 10 000.
   */
  maxEntries?: number;
  /** A shared store (Redis, from `nestjs-sms/queue`); default in-memory. */
  store?: SmsIdempotencyStore;
}

/** At most `max` sends per `windowMs`. */
export interface SmsRateLimit {
  max: number;
  windowMs: number;
}

/** Anti-flood limits, checked before any request; a breach throws `RATE_LIMITED` with `retryAfterSeconds`. */
export interface SmsAntiFloodOptions {
  /** Limits per recipient number, e.g. `[{ max: 1, windowMs: 60_000 }, { max: 10, windowMs: 86_400_000 }]`. */
  perNumber?: SmsRateLimit[];
  /** Limits per `clientIp`. */
  perIp?: SmsRateLimit[];
  /** A shared store (Redis, from `nestjs-sms/queue`); default in-memory. */
  store?: SmsRateLimitStore;
  /**
   * Windows the in-memory store holds at most (one a number or IP and limit). When all are live, sends
   * to new numbers and IPs are refused with `RATE_LIMITED` until windows end. Default 100 000.
   */
  maxEntries?: number;
}

/**
 * Delivery-report endpoints: `/{path}/{provider}/{token}`, for each provider whose driver reads
 * status callbacks, with the methods that driver takes (see `docs/webhooks.md`).
 *
 * @example
 * webhooks: { path: 'sms/webhooks', token: process.env.SMS_WEBHOOK_TOKEN, publicUrl: 'https://api.example.com/api' }
 */
export interface SmsWebhooksOptions {
  /** Where the endpoints are mounted, below the app's global prefix (`sms/webhooks`). */
  path: string;
  /**
   * The secret last path segment: at least 16 characters of `A-Za-z0-9._~-`. Give two while rotating:
   * both are accepted, the first goes into the callback URLs the library registers.
   */
  token: string | string[];
  /**
   * The app's public base URL as the providers reach it, global prefix included
   * (`https://api.example.com/api`). With it, providers whose sends carry their callback URL get one
   * (their driver may require `http://`), and `SmsWebhooksService.registerCallbacks()` can register
   * the URLs of the providers that keep theirs at the vendor.
   */
  publicUrl?: string;
  /** How long a (provider, id, status) already published is ignored. Default 600 000 ms (10 min). */
  dedupeWindowMs?: number;
  /** Reports remembered for de-duplication at most, oldest dropped first. Default 10 000. */
  dedupeMaxEntries?: number;
  /** Largest callback body the endpoint takes, in bytes, whichever body parser read it (413 above). Default 102 400. */
  maxBodyBytes?: number;
}

/** Options of `SmsModule.forRoot` / the factory of `forRootAsync`. */
export interface SmsModuleOptions {
  /** Name → provider config; the name is how calls pick a provider. */
  providers: Record<string, SmsProviderConfig>;
  /** The provider used when a call names none. Default: the first key of `providers`. */
  defaultProvider?: string;
  /** Providers tried in order when one ends *not sent*. */
  failover?: string[];
  /** Country of numbers written without a country code. Default `RU`. */
  defaultCountry?: SmsCountryCode;
  /** Per HTTP request, connect and response. Default 10 000 ms. */
  timeoutMs?: number;
  /** Overall deadline of one call, retries and failover included. Default 30 000 ms. */
  sendTimeoutMs?: number;
  /** Requests in flight per provider at most. Default 16. */
  maxConcurrency?: number;
  /** Retries of not-sent failures; `false` switches them off. */
  retry?: SmsRetryOptions | false;
  /** Circuit breaker per provider; `false` switches it off. */
  circuitBreaker?: SmsCircuitBreakerOptions | false;
  /** Idempotency keys (`send({ idempotencyKey })`). */
  idempotency?: SmsIdempotencyOptions;
  /** Anti-flood limits per number and per client IP; off unless given. */
  antiFlood?: SmsAntiFloodOptions;
  /**
   * Also try the next failover provider for recipients that one provider refused with `NO_ROUTE`.
   * Default `false`.
   */
  failoverOnNoRoute?: boolean;
  /** Delivery-report endpoints; off unless given. */
  webhooks?: SmsWebhooksOptions;
  /**
   * Called with every new delivery report, before the endpoint acknowledges the callback: when it
   * throws, the endpoint answers 500 and the provider repeats the callback later.
   */
  onDeliveryReport?: DeliveryReportHandler;
}

/** The webhook options with every default filled in. */
export interface ResolvedSmsWebhooksOptions extends SmsWebhooksOptions {
  /** `path` without leading or trailing slashes. */
  path: string;
  /** The accepted tokens, the one for new callback URLs first. */
  tokens: string[];
  /** `publicUrl` without a trailing slash. */
  publicUrl?: string;
  dedupeWindowMs: number;
  dedupeMaxEntries: number;
  maxBodyBytes: number;
}

/** The options with every default filled in. */
export interface ResolvedSmsModuleOptions extends SmsModuleOptions {
  defaultProvider: string;
  failover: string[];
  defaultCountry: SmsCountryCode;
  timeoutMs: number;
  sendTimeoutMs: number;
  maxConcurrency: number;
  retry: Required<SmsRetryOptions> | false;
  circuitBreaker: Required<SmsCircuitBreakerOptions> | false;
  idempotency: SmsIdempotencyOptions & { ttlMs: number; maxEntries: number };
  antiFlood: SmsAntiFloodOptions & { maxEntries: number };
  webhooks?: ResolvedSmsWebhooksOptions;
}
