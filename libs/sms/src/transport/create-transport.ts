import { type HttpProviderConfig } from '../interfaces';
import { type SmsDriverContext } from '../providers/driver-definition';
import { HttpTransport } from './http-transport';

/**
 * Builds an HTTP driver's transport from its context: the provider's `baseUrl` (or the driver's
 * default), its proxy and TLS settings, timeouts, concurrency and retries from the module options, retry events to `events$`,
 * and the credentials plus the webhook tokens as secrets to keep out of every error.
 */
export function createProviderTransport(
  context: SmsDriverContext<HttpProviderConfig>,
  defaults: { baseUrl: string; secrets: Array<string | undefined> },
): HttpTransport {
  const { name, config, options, events } = context;
  return new HttpTransport({
    provider: name,
    baseUrl: config.baseUrl ?? defaults.baseUrl,
    timeoutMs: config.timeoutMs ?? options.timeoutMs,
    maxConcurrency: config.maxConcurrency ?? options.maxConcurrency,
    proxy: config.proxy,
    tls: config.tls,
    retry: options.retry,
    // Webhook tokens travel in callback URLs (registered with the vendor, or sent with every send): secrets too.
    secrets: [...defaults.secrets, ...(options.webhooks?.tokens ?? [])].filter(
      (s): s is string => typeof s === 'string' && s.length > 0,
    ),
    onRetry: ({ provider, attempt, delayMs, error }) =>
      events.emit({ type: 'retry', provider, at: new Date(), attempt, delayMs, code: error.code }),
  });
}
