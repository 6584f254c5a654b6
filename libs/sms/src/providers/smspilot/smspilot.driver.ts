import { type SmsPilotProviderConfig } from '../../interfaces';
import { type SmsDriverDefinition } from '../driver-definition';
import { SMSPILOT_CONFIG_FIELDS, validateSmsPilotConfig } from './smspilot.config';
import { SmsPilotProvider } from './smspilot.provider';

/** The `smspilot` driver: SMSPilot (`https://smspilot.ru`). */
export const smsPilotDriver: SmsDriverDefinition<SmsPilotProviderConfig> = {
  name: 'smspilot',
  fields: SMSPILOT_CONFIG_FIELDS,
  validate: validateSmsPilotConfig,
  create: (context) => new SmsPilotProvider(context),
  honoursDeadline: true,
};
