import { type SmsPilotProviderConfig } from '../../interfaces/sms-module-options.interface';
import {
  type SmsWebhookParser,
  type WebhookFields,
  type WebhookParseContext,
  type WebhookParseResult,
} from '../../webhooks/webhook-parser.interface';
import { SMSPILOT_STATUSES } from './smspilot.codes';

/**
 * SMSPilot status callbacks: `GET` (default) or `POST` (`callbackMethod: 'post'`) with `server_id`,
 * `status`, `error` and the `fields` asked for, answered `OK`. SMSPilot does not sign callbacks: the
 * secret token in the URL is all that vouches for them. One callback is one report; its time is when
 * it arrived (SMSPilot sends none).
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
    const known = Object.prototype.hasOwnProperty.call(SMSPILOT_STATUSES, code)
      ? SMSPILOT_STATUSES[code]
      : undefined;
    const report = {
      provider: context.provider,
      id,
      kind: 'sms' as const,
      status: known?.status ?? ('unknown' as const),
      final: known?.final ?? false,
      providerStatus: Number(code),
      at: context.receivedAt,
      raw: Object.freeze(Object.fromEntries(fields)),
    };
    return { ok: true, reports: [report] };
  },
};
