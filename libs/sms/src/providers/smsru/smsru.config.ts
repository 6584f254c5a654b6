import { type HttpProviderConfig } from '../../interfaces/sms-module-options.interface';
import { type FormFields } from '../../transport/http-transport';
import { type ConfigProblem } from '../driver-definition';
import { HTTP_CONFIG_FIELDS } from '../common-config';
import { credentialProblems, isNonEmptyText, isUrl, wholeNumberProblems } from '../shared/config-checks';

/**
 * SMS.ru (`https://sms.ru`). Give `apiId`, or `login` + `password`.
 */
export interface SmsRuProviderConfig extends HttpProviderConfig {
  driver: 'smsru';
  apiId?: string;
  login?: string;
  password?: string;
  /** Partner program id, sent as `partner_id`. */
  partnerId?: string;
  /** Requests of one large send in flight at once. Default 4. */
  chunkConcurrency?: number;
}

/** The fields of an SMS.ru provider config besides the shared ones. */
export const SMSRU_CONFIG_FIELDS = [
  ...HTTP_CONFIG_FIELDS,
  'apiId',
  'login',
  'password',
  'partnerId',
  'chunkConcurrency',
] as const;

/**
 * The problems of an SMS.ru config's own fields: credentials (`apiId`, or `login` + `password`),
 * `baseUrl`, `partnerId` and `chunkConcurrency` (the shared fields are checked for every driver).
 */
export function validateSmsRuConfig(config: SmsRuProviderConfig): ConfigProblem[] {
  const problems = credentialProblems(config, 'apiId');
  if (config.baseUrl !== undefined && !isUrl(config.baseUrl)) {
    problems.push({ field: 'baseUrl', message: 'must be an http:// or https:// URL' });
  }
  if (config.partnerId !== undefined && !isNonEmptyText(config.partnerId)) {
    problems.push({ field: 'partnerId', message: 'must be a non-empty text' });
  }
  return [...problems, ...wholeNumberProblems(config, ['chunkConcurrency'])];
}

/** The credential fields of every request: `api_id`, or `login` + `password`. */
export function smsRuCredentials(config: SmsRuProviderConfig): FormFields {
  const { apiId, login, password } = config;
  return apiId ? { api_id: apiId } : { login, password };
}
