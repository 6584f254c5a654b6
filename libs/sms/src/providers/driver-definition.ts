import { type SmsEventBus } from '../events/sms-event-bus';
import {
  type BaseProviderConfig,
  type ResolvedSmsModuleOptions,
  type SmsProvider,
  type SmsProviderContext,
} from '../interfaces';
import { type SmsWebhookParser } from '../webhooks/webhook-parser.interface';

/** A problem in one provider's config. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** What a driver gets when it is built: the same for a built-in driver and one of your own. */
export interface SmsDriverContext<C> extends SmsProviderContext<C> {
  /** The module options, defaults filled in. */
  options: ResolvedSmsModuleOptions;
  /** The module's event bus (`retry` events of the HTTP transport go there). */
  events: SmsEventBus;
}

/**
 * A driver: how a provider config is checked and how the driver is built. A built-in provider is a
 * folder under `providers/` that exports one of these, and one line in `built-in.ts`; a driver of
 * your own is one of these given as a provider's `driver`.
 */
export interface SmsDriverDefinition<C extends BaseProviderConfig = BaseProviderConfig> {
  /** The driver's name: the `driver` value of a built-in one, the label of every config problem. */
  readonly name: string;
  /**
   * The config fields of the driver's own, besides the shared `driver`, `sender`, `test` and
   * `maxRecipients`: any other field is refused at start, with the nearest known name.
   */
  readonly fields: readonly string[];
  /** Problems of a config beyond the shared fields' (those are checked for every driver). */
  validate?(config: C): ConfigProblem[];
  create(context: SmsDriverContext<C>): SmsProvider;
  /**
   * Whether the driver stops at the call's deadline itself (it passes `signal` and `deadlineAt` on);
   * the send of any other one is raced against the deadline.
   */
  readonly honoursDeadline?: boolean;
  /** How its status callbacks are read; with it, the webhook endpoints take this provider's callbacks. */
  readonly webhook?: SmsWebhookParser<C>;
  /**
   * With `webhooks.publicUrl`, for a driver whose sends carry their callback URL: the config that
   * makes its sends ask for callbacks to `url` (`config` itself when it names a URL of its own), or
   * why that cannot be (the application then fails at start with that message).
   */
  callbackConfig?(config: C, url: string, provider: string): { config: C } | { problem: string };
  /**
   * For a driver whose callback URL is registered with the vendor once: registers `url` unless it is
   * there, and removes the URLs that start with `ownPrefix` but differ (another token). Called by
   * `SmsWebhooksService.registerCallbacks()` with the driver `create` built.
   */
  registerCallback?(driver: SmsProvider, url: string, ownPrefix: string): Promise<SmsCallbackRegistered>;
}

/** What `registerCallback` did. */
export interface SmsCallbackRegistered {
  /** The URL was registered already. */
  present: boolean;
  /** URLs of this provider with another token, removed. */
  removed: number;
}
