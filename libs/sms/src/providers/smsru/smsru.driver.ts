import { type SmsRuProviderConfig } from '../../interfaces';
import { type SmsDriverDefinition } from '../driver-definition';
import { SMSRU_CONFIG_FIELDS, validateSmsRuConfig } from './smsru.config';
import { SmsRuProvider } from './smsru.provider';

/** The `smsru` driver: SMS.ru (`https://sms.ru`). */
export const smsRuDriver: SmsDriverDefinition<SmsRuProviderConfig> = {
  name: 'smsru',
  fields: SMSRU_CONFIG_FIELDS,
  validate: validateSmsRuConfig,
  create: (context) => new SmsRuProvider(context),
  honoursDeadline: true,
};
