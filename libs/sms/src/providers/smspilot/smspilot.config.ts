import { type HttpProviderConfig } from '../../interfaces/sms-module-options.interface';
import { type FormFields } from '../../transport/http-transport';
import { HTTP_CONFIG_FIELDS } from '../common-config';
import { type ConfigProblem } from '../driver-definition';
import { credentialProblems, isUrl, wholeNumberProblems } from '../shared/config-checks';

/**
 * SMSPilot (`https://smspilot.ru`). Give `apiKey`, or `login` (e-mail) + `password`.
 */
export interface SmsPilotProviderConfig extends HttpProviderConfig {
  driver: 'smspilot';
  apiKey?: string;
  login?: string;
  password?: string;
  /** Status callback URL sent with every send. */
  callbackUrl?: string;
  /** How SMSPilot calls `callbackUrl`. Default `get`. */
  callbackMethod?: 'get' | 'post';
  /** Requests of one batch in flight at once. Default 4. */
  chunkConcurrency?: number;
}

/** The fields of an SMSPilot provider config besides the shared ones. */
export const SMSPILOT_CONFIG_FIELDS = [
  ...HTTP_CONFIG_FIELDS,
  'apiKey',
  'login',
  'password',
  'callbackUrl',
  'callbackMethod',
  'chunkConcurrency',
] as const;

/**
 * The problems of an SMSPilot config's own fields: credentials (`apiKey`, or `login` + `password`),
 * URLs, `callbackMethod` and `chunkConcurrency` (the shared fields are checked for every driver).
 */
export function validateSmsPilotConfig(config: SmsPilotProviderConfig): ConfigProblem[] {
  const problems = credentialProblems(config, 'apiKey', 'must be a non-empty string');
  if (config.baseUrl !== undefined && !isUrl(config.baseUrl)) {
    problems.push({ field: 'baseUrl', message: 'must be an http:// or https:// URL' });
  }
  if (config.callbackUrl !== undefined && !isUrl(config.callbackUrl, ['http:'])) {
    problems.push({ field: 'callbackUrl', message: 'must be an http:// URL (SMSPilot does not call https)' });
  }
  if (
    config.callbackMethod !== undefined &&
    config.callbackMethod !== 'get' &&
    config.callbackMethod !== 'post'
  ) {
    problems.push({ field: 'callbackMethod', message: 'must be "get" or "post"' });
  }
  return [...problems, ...wholeNumberProblems(config, ['chunkConcurrency'])];
}

/** The credential fields of every request: `apikey`, or `login` + `password`. */
export function credentialFields(config: SmsPilotProviderConfig): FormFields {
  return config.apiKey !== undefined
    ? { apikey: config.apiKey }
    : { login: config.login, password: config.password };
}
