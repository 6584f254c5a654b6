import { type SmsPilotProviderConfig } from '../../interfaces/sms-module-options.interface';
import { SENDER_PATTERN } from '../../message/normalize';
import { type FormFields } from '../../transport/http-transport';
import { type ConfigProblem } from '../driver-definition';

function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function urlProblem(value: unknown, protocols: readonly string[]): string | undefined {
  const wanted = protocols.map((p) => `${p}//`).join(' or ');
  if (typeof value !== 'string') return `must be an ${wanted} URL`;
  try {
    return protocols.includes(new URL(value).protocol) ? undefined : `must be an ${wanted} URL`;
  } catch {
    return `must be an ${wanted} URL`;
  }
}

function positiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * The problems of an SMSPilot provider config: credentials (`apiKey`, or `login` + `password`),
 * URLs, sender and the numeric settings. Each problem names its field.
 */
export function validateSmsPilotConfig(config: SmsPilotProviderConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { apiKey, login, password } = config;
  if (apiKey !== undefined && !isNonEmptyText(apiKey)) {
    problems.push({ field: 'apiKey', message: 'must be a non-empty string' });
  } else if (apiKey === undefined) {
    if (login === undefined && password === undefined) {
      problems.push({ field: 'apiKey', message: 'is required (or "login" and "password")' });
    } else {
      if (!isNonEmptyText(login)) problems.push({ field: 'login', message: 'is required with "password"' });
      if (!isNonEmptyText(password))
        problems.push({ field: 'password', message: 'is required with "login"' });
    }
  }
  if (config.baseUrl !== undefined) {
    const problem = urlProblem(config.baseUrl, ['http:', 'https:']);
    if (problem) problems.push({ field: 'baseUrl', message: problem });
  }
  if (config.callbackUrl !== undefined) {
    const problem = urlProblem(config.callbackUrl, ['http:']);
    if (problem)
      problems.push({ field: 'callbackUrl', message: `${problem} (SMSPilot does not call https)` });
  }
  if (
    config.callbackMethod !== undefined &&
    config.callbackMethod !== 'get' &&
    config.callbackMethod !== 'post'
  ) {
    problems.push({ field: 'callbackMethod', message: 'must be "get" or "post"' });
  }
  if (
    config.sender !== undefined &&
    (typeof config.sender !== 'string' || !SENDER_PATTERN.test(config.sender))
  ) {
    problems.push({ field: 'sender', message: 'must be 3–11 of A-Za-z0-9.- or 6–14 digits' });
  }
  if (config.test !== undefined && typeof config.test !== 'boolean') {
    problems.push({ field: 'test', message: 'must be a boolean' });
  }
  for (const field of ['chunkConcurrency', 'maxConcurrency', 'maxRecipients', 'timeoutMs'] as const) {
    if (config[field] !== undefined && !positiveInteger(config[field])) {
      problems.push({ field, message: 'must be a positive whole number' });
    }
  }
  return problems;
}

/** The credential fields of every request: `apikey`, or `login` + `password`. */
export function credentialFields(config: SmsPilotProviderConfig): FormFields {
  return config.apiKey !== undefined
    ? { apikey: config.apiKey }
    : { login: config.login, password: config.password };
}
