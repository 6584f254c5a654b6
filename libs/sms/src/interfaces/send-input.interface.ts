/** Options shared by `send`, `sendBatch` and `getCost`. */
export interface SendOptions {
  /** Sender name (3–11 of `A-Za-z0-9.-`) or number (6–14 digits); the provider's default when absent. */
  sender?: string;
  /** Deferred sending; at most a minute in the past, at most the provider's horizon ahead. */
  sendAt?: Date;
  /** Give up delivering after this many minutes (1–1440, or the narrower range of the provider's `limits.ttlMinutes`). */
  ttlMinutes?: number;
  /** The provider's test mode: nothing delivered, nothing charged. Default: the provider config's `test`. */
  test?: boolean;
  /** The end user's IP address (anti-fraud at SMS.ru, anti-flood here). */
  clientIp?: string;
  /** Transliterate Cyrillic to Latin (SMS.ru). */
  translit?: boolean;
  /** Hold messages during the recipient's night (SMS.ru). */
  daytime?: boolean;
  /** The configured provider to use; default `defaultProvider`. */
  provider?: string;
  /** The same key within the idempotency window returns the first call's result, sending nothing. */
  idempotencyKey?: string;
}

/** What `SmsService.send` takes: one text to one or more numbers. */
export interface SendInput extends SendOptions {
  /** One number or many, in any common notation (`+7 925 507-06-02`, `89255070602`). */
  to: string | string[];
  /** The text, UTF-8. */
  text: string;
}

/** One recipient and its own text, for `SmsService.sendBatch`. */
export interface BatchItem {
  to: string;
  text: string;
}

/** Options of `SmsService.sendBatch`. */
export type SendBatchOptions = SendOptions;

/** Options of the read calls (`getStatus`, `getBalance`). */
export interface ProviderSelection {
  /** The configured provider to ask; default `defaultProvider`. */
  provider?: string;
}
