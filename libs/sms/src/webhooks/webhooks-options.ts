import { SmsConfigurationError } from '../errors';
import {
  type ResolvedSmsWebhooksOptions,
  type SmsModuleOptions,
  type SmsProviderConfig,
  type SmsWebhooksOptions,
} from '../interfaces';
import { driverDefinitionOf } from '../providers/driver-lookup';

/** Defaults of `webhooks` options. */
export const SMS_WEBHOOK_DEFAULTS = {
  dedupeWindowMs: 600_000,
  dedupeMaxEntries: 10_000,
  maxBodyBytes: 102_400,
} as const;

const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,200}$/;
const SEGMENT_PATTERN = /^[A-Za-z0-9._~-]+$/;

function positiveInteger(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)) {
    throw new SmsConfigurationError(`"${field}" must be a positive whole number`);
  }
}

/** The tokens of `webhooks.token`; a problem names the field and never shows the value. */
function resolveTokens(token: unknown): string[] {
  const list = Array.isArray(token) ? token : [token];
  if (list.length < 1 || list.length > 2) {
    throw new SmsConfigurationError('"webhooks.token" must be one token, or a list of two while rotating');
  }
  list.forEach((t, i) => {
    if (typeof t !== 'string' || !TOKEN_PATTERN.test(t)) {
      const field = Array.isArray(token) ? `webhooks.token[${i}]` : 'webhooks.token';
      throw new SmsConfigurationError(
        `"${field}" must be 16 to 200 characters of A-Za-z0-9._~- (a random secret)`,
      );
    }
  });
  return list as string[];
}

function resolvePath(path: unknown): string {
  const trimmed = typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : '';
  if (trimmed === '' || !trimmed.split('/').every((s) => SEGMENT_PATTERN.test(s))) {
    throw new SmsConfigurationError(
      '"webhooks.path" must be a path such as "sms/webhooks" (A-Za-z0-9._~- between slashes)',
    );
  }
  return trimmed;
}

function resolvePublicUrl(publicUrl: unknown): string | undefined {
  if (publicUrl === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = typeof publicUrl === 'string' ? new URL(publicUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new SmsConfigurationError(
      '"webhooks.publicUrl" must be an http:// or https:// URL without query, fragment or credentials',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Checks `webhooks` and `onDeliveryReport` and fills in the defaults. With `webhooks.publicUrl`, the
 * providers whose sends carry their callback URL get one (their driver's `callbackConfig`), so that
 * every send asks for status callbacks.
 */
export function resolveWebhooksOptions(options: SmsModuleOptions): {
  webhooks?: ResolvedSmsWebhooksOptions;
  providers: Record<string, SmsProviderConfig>;
} {
  if (options.onDeliveryReport !== undefined && typeof options.onDeliveryReport !== 'function') {
    throw new SmsConfigurationError('"onDeliveryReport" must be a function');
  }
  const given: SmsWebhooksOptions | undefined = options.webhooks;
  if (given === undefined) return { providers: options.providers };
  if (!given || typeof given !== 'object') {
    throw new SmsConfigurationError('"webhooks" must be an object such as { path, token }');
  }
  positiveInteger(given.dedupeWindowMs, 'webhooks.dedupeWindowMs');
  positiveInteger(given.dedupeMaxEntries, 'webhooks.dedupeMaxEntries');
  positiveInteger(given.maxBodyBytes, 'webhooks.maxBodyBytes');
  const webhooks: ResolvedSmsWebhooksOptions = {
    ...given,
    path: resolvePath(given.path),
    tokens: resolveTokens(given.token),
    publicUrl: resolvePublicUrl(given.publicUrl),
    dedupeWindowMs: given.dedupeWindowMs ?? SMS_WEBHOOK_DEFAULTS.dedupeWindowMs,
    dedupeMaxEntries: given.dedupeMaxEntries ?? SMS_WEBHOOK_DEFAULTS.dedupeMaxEntries,
    maxBodyBytes: given.maxBodyBytes ?? SMS_WEBHOOK_DEFAULTS.maxBodyBytes,
  };
  const providers = { ...options.providers };
  for (const [name, config] of Object.entries(providers)) {
    const callbackConfig = driverDefinitionOf(config.driver)?.callbackConfig;
    if (!callbackConfig || !webhooks.publicUrl) continue;
    const result = callbackConfig(config as never, webhookCallbackUrl(webhooks, name), name);
    if ('problem' in result) throw new SmsConfigurationError(result.problem);
    providers[name] = result.config as SmsProviderConfig;
  }
  return { webhooks, providers };
}

/** The public callback URL of one provider: `{publicUrl}/{path}/{provider}/{first token}`. */
export function webhookCallbackUrl(webhooks: ResolvedSmsWebhooksOptions, provider: string): string {
  if (!webhooks.publicUrl) {
    throw new SmsConfigurationError('"webhooks.publicUrl" is required to build callback URLs');
  }
  return `${webhooks.publicUrl}/${webhooks.path}/${encodeURIComponent(provider)}/${webhooks.tokens[0]}`;
}
