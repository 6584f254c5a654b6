import { type ServerResponse } from 'node:http';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SmsConfigurationError, SmsError } from '../errors';
import { DeliveryReportBus } from '../events/delivery-report-bus';
import { type DeliveryReport } from '../events/delivery-report.interface';
import { type SmsProviderConfig } from '../interfaces';
import { driverDefinitionOf } from '../providers/driver-lookup';
import { SmsProviderRegistry } from '../providers/sms-provider-registry';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { AttributeCache } from '../telemetry/attribute-cache';
import { measureDeliveryTimes } from '../telemetry/delivery-time';
import { instruments } from '../telemetry/metrics';
import { SpanKinds, type SmsSpan, inSpan, recording } from '../telemetry/spans';
import { type SmsWebhookParser } from './webhook-parser.interface';
import { WebhookBodyError, type WebhookRequest, readWebhookFields, requestPath } from './webhook-request';
import { WebhookTokens } from './webhook-tokens';
import { webhookCallbackUrl } from './webhooks-options';

const REPORT = new AttributeCache(['sms.provider', 'sms.status', 'sms.final']);

/** What `registerCallbacks()` did for one provider whose callback URL is registered with the vendor. */
export interface SmsCallbackRegistration {
  provider: string;
  /** `added`: registered now; `present`: was registered already; `skipped`: see `reason`. */
  result: 'added' | 'present' | 'skipped';
  /** Callback URLs of this provider with another token, deleted (after a token rotation). */
  removed: number;
  reason?: string;
}

interface Endpoint {
  provider: string;
  config: SmsProviderConfig;
  parser: SmsWebhookParser<SmsProviderConfig>;
}

/** The handler Nest mounts as middleware on the webhook route. */
export type WebhookMiddleware = (req: WebhookRequest, res: ServerResponse, next: () => void) => void;

/**
 * The delivery-report endpoints and the callback URLs behind them. `SmsModule` mounts `middleware`
 * on `{webhooks.path}/:provider/:token` (below the global prefix) when `webhooks` is configured.
 *
 * - Wrong token or unknown provider: 404 with a body that tells them apart in nothing; the token is
 *   compared in constant time and appears in no log line.
 * - Each driver's parser says which methods it takes, how a callback is verified (403 when its
 *   signature does not match) and what the provider is answered.
 * - `onDeliveryReport` throws: 500, nothing acknowledged, so the provider repeats the callback.
 */
@Injectable()
export class SmsWebhooksService implements OnModuleInit {
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly tokens?: WebhookTokens;
  private readonly unavailable: string[] = [];

  constructor(
    private readonly registry: SmsProviderRegistry,
    private readonly reports: DeliveryReportBus,
  ) {
    const webhooks = registry.options.webhooks;
    if (!webhooks) return;
    this.tokens = new WebhookTokens(webhooks.tokens);
    for (const name of registry.names) {
      const { config } = registry.get(name);
      const parser = driverDefinitionOf(config.driver)?.webhook;
      if (!parser) continue;
      const problem = parser.unavailable?.(config as never);
      if (problem) {
        this.unavailable.push(`Delivery reports of provider "${name}" are off: ${problem}`);
        continue;
      }
      this.endpoints.set(name, {
        provider: name,
        config,
        parser: parser as SmsWebhookParser<SmsProviderConfig>,
      });
    }
  }

  onModuleInit(): void {
    for (const warning of this.unavailable) this.logger.warn(warning);
  }

  /** The route Nest mounts the middleware on, below the global prefix; none without `webhooks`. */
  get route(): string | undefined {
    const webhooks = this.registry.options.webhooks;
    return webhooks ? `${webhooks.path}/:provider/:token` : undefined;
  }

  /** The providers whose callbacks the endpoints take. */
  get providers(): string[] {
    return [...this.endpoints.keys()];
  }

  /**
   * The public callback URL of a provider, from `webhooks.publicUrl`: it carries the secret token, so
   * give it to the provider and nowhere else.
   */
  callbackUrl(provider: string): string {
    const webhooks = this.registry.options.webhooks;
    if (!webhooks) throw new SmsConfigurationError('"webhooks" are not configured');
    if (!this.endpoints.has(provider)) {
      throw new SmsError(`Provider "${provider}" takes no delivery-report callbacks`, {
        code: 'UNSUPPORTED',
        provider,
      });
    }
    return webhookCallbackUrl(webhooks, provider);
  }

  /**
   * Registers the callback URL of each provider whose driver registers it with the vendor (its
   * `registerCallback`: SMS.ru's `callback/get`, then `callback/add` when it is missing) and deletes
   * this provider's URLs that carry another token. Safe to call at every start. A provider whose URL
   * goes with every send needs none.
   */
  async registerCallbacks(): Promise<SmsCallbackRegistration[]> {
    const webhooks = this.registry.options.webhooks;
    if (!webhooks?.publicUrl) {
      throw new SmsConfigurationError('"webhooks.publicUrl" is required to register callback URLs');
    }
    const results: SmsCallbackRegistration[] = [];
    for (const name of this.registry.names) {
      const { config, driver } = this.registry.get(name);
      const definition = driverDefinitionOf(config.driver);
      if (!definition?.registerCallback) continue;
      const problem = this.endpoints.has(name)
        ? undefined
        : (definition.webhook?.unavailable?.(config as never) ?? 'the driver reads no callbacks');
      if (problem) {
        results.push({ provider: name, result: 'skipped', removed: 0, reason: problem });
        continue;
      }
      const url = webhookCallbackUrl(webhooks, name);
      const ownPrefix = url.slice(0, url.lastIndexOf('/') + 1);
      const { present, removed } = await definition.registerCallback(driver, url, ownPrefix);
      this.logger.log(
        `Callback URL of provider "${name}" ${present ? 'was registered already' : 'registered'}`,
      );
      results.push({ provider: name, result: present ? 'present' : 'added', removed });
    }
    return results;
  }

  /** The middleware `SmsModule` mounts; it answers every request itself. */
  readonly middleware: WebhookMiddleware = (req, res) => void this.handle(req, res);

  /**
   * Answers one callback request, in an `sms.webhook` span (the provider once the token matched, the
   * reports' count, the answer's status; never the URL, which holds the token). Never rejects.
   */
  handle(req: WebhookRequest, res: ServerResponse): Promise<void> {
    return inSpan('sms.webhook', SpanKinds.INTERNAL, async (span) => {
      await this.answer(req, res, span);
      if (!recording(span)) return;
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: 2 });
    });
  }

  private async answer(req: WebhookRequest, res: ServerResponse, span: SmsSpan): Promise<void> {
    try {
      const [provider, token] = providerAndToken(requestPath(req));
      const endpoint = this.endpoints.get(provider);
      const tokenMatches = this.tokens?.matches(token) ?? false;
      if (!tokenMatches || !endpoint) {
        this.logger.warn(
          'A delivery-report callback with a wrong token or an unknown provider was refused (404)',
        );
        return reply(res, 404, 'Not Found');
      }
      const method = (req.method ?? 'GET').toUpperCase();
      if (!endpoint.parser.methods.includes(method as never)) {
        return reply(res, 405, 'Method Not Allowed', { allow: endpoint.parser.methods.join(', ') });
      }
      const maxBytes = this.registry.options.webhooks!.maxBodyBytes;
      const fields = await readWebhookFields(req, maxBytes);
      const parsed = endpoint.parser.parse(fields, {
        provider,
        config: endpoint.config,
        receivedAt: new Date(),
      });
      if (!parsed.ok) {
        this.logger.warn(
          `A delivery-report callback of provider "${provider}" was refused (${parsed.status}): ${parsed.reason}`,
        );
        return reply(res, parsed.status, parsed.status === 403 ? 'Forbidden' : 'Bad Request');
      }
      if (recording(span)) {
        span.setAttribute('sms.provider', provider);
        span.setAttribute('sms.webhook.reports', parsed.reports.length);
      }
      try {
        await this.reports.deliver(parsed.reports);
      } catch {
        return reply(res, 500, 'Internal Server Error');
      }
      countReports(parsed.reports);
      measureDeliveryTimes(parsed.reports);
      return reply(res, 200, endpoint.parser.acknowledgement);
    } catch (e) {
      if (e instanceof WebhookBodyError) {
        this.logger.warn(
          `A delivery-report callback was refused (413): its body is over webhooks.maxBodyBytes (${this.registry.options.webhooks!.maxBodyBytes} bytes)`,
        );
        return reply(res, e.status, 'Payload Too Large');
      }
      this.logger.error(`A delivery-report callback failed: ${e instanceof Error ? e.message : String(e)}`);
      return reply(res, 500, 'Internal Server Error');
    }
  }
}

/** `sms.delivery_reports`: the reports a callback delivered. */
function countReports(reports: readonly DeliveryReport[]): void {
  const metrics = instruments();
  if (!metrics) return;
  for (const r of reports) metrics.deliveryReports.add(1, REPORT.get(r.provider, r.status, r.final));
}

/** The last two segments of the path: the route is `{path}/:provider/:token`, matched exactly. */
function providerAndToken(path: string): [string, string] {
  const segments = path.split('/').filter((s) => s !== '');
  const decode = (s: string | undefined) => {
    try {
      return decodeURIComponent(s ?? '');
    } catch {
      return '';
    }
  };
  return [decode(segments[segments.length - 2]), decode(segments[segments.length - 1])];
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}
