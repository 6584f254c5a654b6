import { type SegmentInfo } from '../message/segments';
import { type MessageStatus, type SentMessage, type CostItem } from './results.interface';

/**
 * What a driver can do. The service answers `UNSUPPORTED` before any request for an operation or
 * option that the chosen provider lacks.
 */
export type SmsCapability =
  | 'send'
  | 'batch'
  | 'status'
  | 'cost'
  | 'balance'
  | 'schedule'
  | 'ttl'
  | 'translit'
  | 'daytime'
  | 'clientIp'
  | 'testMode';

/** A provider's bounds, checked by the service before any request. */
export interface SmsProviderLimits {
  /** Recipients in one call, in total (drivers split them into requests as the API wants). */
  maxRecipients: number;
  /** SMS parts one text may take. */
  maxParts: number;
  /** How far ahead `sendAt` may be, in ms; no bound when absent. */
  maxScheduleAheadMs?: number;
  /** The accepted `ttlMinutes` range. */
  ttlMinutes: { min: number; max: number };
}

/** One message as the service hands it to a driver: validated and normalized. */
export interface OutgoingMessage {
  /** Digits only, country code first. */
  to: string;
  text: string;
  segments: SegmentInfo;
}

/** A send request as the driver receives it. */
export interface ProviderSendRequest {
  /**
   * Distinct (number, text) pairs in input order. All share one text for `send`; for `sendBatch` a
   * number may appear more than once with different texts.
   */
  messages: readonly OutgoingMessage[];
  sender?: string;
  sendAt?: Date;
  ttlMinutes?: number;
  test?: boolean;
  clientIp?: string;
  translit?: boolean;
  daytime?: boolean;
  /** Aborted when the call's overall deadline passes. */
  signal?: AbortSignal;
  /** The call's overall deadline (epoch ms), for `HttpTransport.postForm({ deadlineAt })`. */
  deadlineAt?: number;
}

/** What a driver's `send` returns: one `SentMessage` per request message, in the same order. */
export interface ProviderSendResult {
  messages: SentMessage[];
  cost?: number;
  balance?: number;
}

/** What a driver's `getCost` returns. */
export interface ProviderCostResult {
  total: number;
  totalSegments?: number;
  messages: CostItem[];
}

/** A message status as a driver reports it (the service adds the provider name). */
export type ProviderMessageStatus = Omit<MessageStatus, 'provider'>;

/** Options every driver call accepts. */
export interface ProviderCallOptions {
  signal?: AbortSignal;
  /** The call's overall deadline (epoch ms). */
  deadlineAt?: number;
  /**
   * `false`: one request, never repeated by the transport's retry policy (health probes, which
   * promise one request per `cacheTtlMs`). Default: the module's `retry` settings.
   */
  retry?: false;
}

/**
 * The strategy contract every driver implements. A third-party gateway is one class:
 *
 * @example
 * @Injectable()
 * export class MyGatewayProvider implements SmsProvider {
 *   readonly capabilities = ['send', 'status'] as const;
 *   constructor(private readonly http: MyGatewayClient) {}
 *   async send(request: ProviderSendRequest): Promise<ProviderSendResult> { … }
 *   async getStatus(ids: string[]): Promise<ProviderMessageStatus[]> { … }
 * }
 *
 * SmsModule.forRoot({ providers: { own: { driver: MyGatewayProvider } } });
 */
export interface SmsProvider {
  /** What this driver supports; `send` is required. */
  readonly capabilities: readonly SmsCapability[];
  /** Bounds checked before any request; the defaults of `DEFAULT_PROVIDER_LIMITS` where absent. */
  readonly limits?: Partial<SmsProviderLimits>;
  /**
   * Called once after construction with the provider's name and config (the `driver` entry's other
   * fields), before the application starts listening.
   */
  configure?(context: SmsProviderContext): void | Promise<void>;
  /** Sends; a refused recipient is an entry with `accepted: false`, a failed request throws `SmsError`. */
  send(request: ProviderSendRequest): Promise<ProviderSendResult>;
  getStatus?(ids: string[], options?: ProviderCallOptions): Promise<ProviderMessageStatus[]>;
  getCost?(request: ProviderSendRequest): Promise<ProviderCostResult>;
  /** The account balance in RUB. */
  getBalance?(options?: ProviderCallOptions): Promise<number>;
  /** Releases what the driver opened (sockets, timers); called on application shutdown. */
  close?(): void | Promise<void>;
}

/** What a driver learns about itself when it is set up. */
export interface SmsProviderContext<C = Record<string, unknown>> {
  /** The provider's name in `SmsModule` options (`main`, `backup`). */
  name: string;
  /** The provider's config as given. */
  config: C;
  /** The module's per-request timeout. */
  timeoutMs: number;
}

/** Limits that apply where a driver sets none. */
export const DEFAULT_PROVIDER_LIMITS: Readonly<SmsProviderLimits> = Object.freeze({
  maxRecipients: 10_000,
  maxParts: 10,
  ttlMinutes: Object.freeze({ min: 1, max: 1440 }),
});
