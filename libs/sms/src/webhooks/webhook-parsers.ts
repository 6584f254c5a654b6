import { smsPilotWebhook } from '../providers/smspilot/smspilot.webhook';
import { smsRuWebhook } from '../providers/smsru/smsru.webhook';
import { type SmsWebhookParser } from './webhook-parser.interface';

/** The callback parsers of the built-in drivers, by their `driver` name. */
export const WEBHOOK_PARSERS: Readonly<Record<string, SmsWebhookParser<never>>> = {
  smsru: smsRuWebhook,
  smspilot: smsPilotWebhook,
};
