import { type SmsRuProviderConfig } from './smsru.config';
import { type SmsDriverDefinition } from '../driver-definition';
import { SMSRU_CONFIG_FIELDS, validateSmsRuConfig } from './smsru.config';
import { SmsRuProvider } from './smsru.provider';
import { smsRuWebhook } from './smsru.webhook';

/** The `smsru` driver: SMS.ru (`https://sms.ru`). Its callback URL is registered once (`callback/add`). */
export const smsRuDriver: SmsDriverDefinition<SmsRuProviderConfig> = {
  name: 'smsru',
  fields: SMSRU_CONFIG_FIELDS,
  validate: validateSmsRuConfig,
  create: (context) => new SmsRuProvider(context),
  honoursDeadline: true,
  webhook: smsRuWebhook,
  async registerCallback(driver, url, ownPrefix) {
    const smsru = driver as SmsRuProvider;
    const registered = await smsru.getCallbacks();
    const present = registered.includes(url);
    if (!present) await smsru.addCallback(url);
    const stale = registered.filter((u) => u !== url && u.startsWith(ownPrefix));
    for (const old of stale) await smsru.removeCallback(old);
    return { present, removed: stale.length };
  },
};
