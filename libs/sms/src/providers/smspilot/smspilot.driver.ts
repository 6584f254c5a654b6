import { type SmsPilotProviderConfig } from './smspilot.config';
import { type SmsDriverDefinition } from '../driver-definition';
import { SMSPILOT_CONFIG_FIELDS, validateSmsPilotConfig } from './smspilot.config';
import { SmsPilotProvider } from './smspilot.provider';
import { smsPilotWebhook } from './smspilot.webhook';

/** The `smspilot` driver: SMSPilot (`https://smspilot.ru`). Its callback URL goes with every send. */
export const smsPilotDriver: SmsDriverDefinition<SmsPilotProviderConfig> = {
  name: 'smspilot',
  fields: SMSPILOT_CONFIG_FIELDS,
  validate: validateSmsPilotConfig,
  create: (context) => new SmsPilotProvider(context),
  honoursDeadline: true,
  webhook: smsPilotWebhook,
  callbackConfig(config, url, provider) {
    if (config.callbackUrl !== undefined) return { config };
    if (!url.startsWith('http://')) {
      return {
        problem: `"webhooks.publicUrl" must be an http:// URL for SMSPilot provider "${provider}" (SMSPilot does not call https); or give that provider its own "callbackUrl"`,
      };
    }
    return { config: { ...config, callbackUrl: url } };
  },
};
