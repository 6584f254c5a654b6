import { type DeliveryReport } from '../events/delivery-report.interface';

/** HTTP methods a provider calls its callback URL with. */
export type WebhookMethod = 'GET' | 'POST';

/**
 * The fields of one callback, flat, as the provider sent them (`data[0]`, `hash`, `server_id`):
 * the query string, then the form body on top.
 */
export type WebhookFields = ReadonlyMap<string, string>;

/** What a parser gets besides the fields. */
export interface WebhookParseContext<C> {
  /** The provider's name in `SmsModule` options. */
  provider: string;
  config: C;
  /** When the callback arrived. */
  receivedAt: Date;
}

/** The reports of a callback, or why it is refused (400 malformed, 403 bad signature). */
export type WebhookParseResult =
  { ok: true; reports: DeliveryReport[] } | { ok: false; status: 400 | 403; reason: string };

/**
 * How one provider's status callbacks are read: which methods it uses, how it is answered and how
 * its fields become `DeliveryReport`s (the parsers live beside their drivers: `providers/<x>/<x>.webhook.ts`).
 */
export interface SmsWebhookParser<C> {
  readonly methods: readonly WebhookMethod[];
  /** The body the provider expects once a callback is taken (`100`, `OK`). */
  readonly acknowledgement: string;
  /** Why a provider with this config cannot take callbacks; such a provider is not mounted. */
  unavailable?(config: C): string | undefined;
  /** Never throws: a callback it cannot read is `{ ok: false }`. */
  parse(fields: WebhookFields, context: WebhookParseContext<C>): WebhookParseResult;
}
