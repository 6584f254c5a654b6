import { type SmsPilotProviderConfig } from './smspilot.config';
import { type DeliveryReport } from '../../events/delivery-report.interface';
import {
  type SmsWebhookParser,
  type WebhookFields,
  type WebhookParseContext,
  type WebhookParseResult,
} from '../../webhooks/webhook-parser.interface';
import { SMSPILOT_STATUSES } from './smspilot.codes';

/** Fields SMSPilot adds to the status callback of an HLR request (section 6.2 of its document). */
const HLR_FIELDS = ['imsi', 'msc', 'mcc', 'mnc', 'cn', 'net', 'rcn', 'rnet'] as const;

/**
 * Whether a callback reports an HLR request or a PING message rather than an SMS: an HLR callback
 * carries the HLR fields; either carries its text `HLR` or `PING` when the callback URL asked for
 * `fields=message` (the driver asks for it with every HLR and PING request), and a PING may be sent
 * from the sender `PING`.
 */
export function isSmsPilotProbeCallback(fields: WebhookFields): boolean {
  const upper = (name: string) => fields.get(name)?.trim().toUpperCase();
  if (HLR_FIELDS.some((name) => (fields.get(name) ?? '').trim() !== '')) return true;
  const text = upper('message');
  return text === 'HLR' || text === 'PING' || upper('sender') === 'PING' || upper('sender_orig') === 'PING';
}

/**
 * SMSPilot status callbacks: `GET` (default) or `POST` (`callbackMethod: 'post'`) with `server_id`,
 * `status`, `error` and the `fields` asked for, answered `OK`. SMSPilot does not sign callbacks: the
 * secret token in the URL is all that vouches for them. One callback is one report; its time is when
 * it arrived (SMSPilot sends none), and a non-zero `error` becomes the report's `error`. The callback
 * of an HLR request or a PING message is acknowledged and published nowhere: it is no delivery report
 * of an SMS (read those results with `getHlrStatus` and `getStatus`).
 */
export const smsPilotWebhook: SmsWebhookParser<SmsPilotProviderConfig> = {
  methods: ['GET', 'POST'],
  acknowledgement: 'OK',
  parse(fields: WebhookFields, context: WebhookParseContext<SmsPilotProviderConfig>): WebhookParseResult {
    const id = fields.get('server_id')?.trim();
    const code = fields.get('status')?.trim();
    if (!id || code === undefined || !/^-?\d+$/.test(code)) {
      return { ok: false, status: 400, reason: 'server_id and a numeric status are required' };
    }
    if (isSmsPilotProbeCallback(fields)) return { ok: true, reports: [] };
    const known = Object.prototype.hasOwnProperty.call(SMSPILOT_STATUSES, code)
      ? SMSPILOT_STATUSES[code]
      : undefined;
    const report: DeliveryReport = {
      provider: context.provider,
      id,
      kind: 'sms',
      status: known?.status ?? 'unknown',
      final: known?.final ?? false,
      providerStatus: Number(code),
      at: context.receivedAt,
      raw: Object.freeze(Object.fromEntries(fields)),
    };
    const error = fields.get('error')?.trim();
    if (error && error !== '0') {
      const text = fields.get('error_ru')?.trim() || fields.get('error_en')?.trim();
      report.error = text ? { providerCode: error, providerMessage: text } : { providerCode: error };
    }
    return { ok: true, reports: [report] };
  },
};
