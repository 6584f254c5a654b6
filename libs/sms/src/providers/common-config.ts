import { type Type } from '@nestjs/common';
import { type BaseProviderConfig, type HttpProviderConfig } from '../interfaces/sms-module-options.interface';
import { type SmsProvider } from '../interfaces/sms-provider.interface';
import { unknownFields } from '../config/unknown-fields';
import { isProxyUrl, TLS_OPTION_FIELDS } from '../transport/egress';
import { SENDER_PATTERN, SENDER_RULE } from '../message/normalize';
import { type ConfigProblem, type SmsDriverDefinition } from './driver-definition';
import { wholeNumberProblems } from './shared/config-checks';

/** Fields every provider config may set. */
export const SHARED_CONFIG_FIELDS = ['driver', 'sender', 'test', 'maxRecipients'] as const;
/** Fields of every provider that talks HTTP (`HttpProviderConfig`). */
export const HTTP_CONFIG_FIELDS = ['baseUrl', 'timeoutMs', 'maxConcurrency', 'proxy', 'tls'] as const;

/** Numeric fields every provider config may set, each a positive whole number. */
const WHOLE_NUMBER_FIELDS = ['maxRecipients', 'timeoutMs', 'maxConcurrency'] as const;

/** A driver class that lists its config fields, so that a typo in them is refused at start too. */
export interface SmsDriverClassFields {
  readonly configFields?: readonly string[];
}

/**
 * Every field a provider config of this driver may have, or `undefined` when the driver does not
 * say (a driver class without `static configFields`): then its other fields are not checked.
 */
export function knownConfigFields(
  driver: string | Type<SmsProvider> | SmsDriverDefinition | undefined,
  definition: SmsDriverDefinition | undefined,
): string[] | undefined {
  const own = definition?.fields ?? (driver as SmsDriverClassFields | undefined)?.configFields;
  return own === undefined ? undefined : [...SHARED_CONFIG_FIELDS, ...own];
}

const isPem = (value: unknown): boolean =>
  (typeof value === 'string' && value.trim() !== '') || Buffer.isBuffer(value);

/**
 * The problems of `proxy` and `tls`. A proxy URL is never repeated in a message (it may hold a
 * password), nor are certificates and keys.
 */
export function egressConfigProblems(config: HttpProviderConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { proxy, tls } = config as { proxy?: unknown; tls?: unknown };
  if (proxy !== undefined && proxy !== false && !isProxyUrl(proxy)) {
    problems.push({
      field: 'proxy',
      message:
        'must be an http:// or https:// URL (http://[user:pass@]host:port, credentials URL-encoded) or false',
    });
  }
  if (tls === undefined) return problems;
  if (tls === null || typeof tls !== 'object' || Array.isArray(tls)) {
    problems.push({ field: 'tls', message: `must be an object (${TLS_OPTION_FIELDS.join(', ')})` });
    return problems;
  }
  for (const { field, message } of unknownFields(tls, TLS_OPTION_FIELDS))
    problems.push({ field: `tls.${field}`, message });
  const { ca, cert, key, passphrase, rejectUnauthorized } = tls as Record<string, unknown>;
  if (ca !== undefined && !(isPem(ca) || (Array.isArray(ca) && ca.length > 0 && ca.every(isPem)))) {
    problems.push({ field: 'tls.ca', message: 'must be a PEM text, a Buffer or a list of them' });
  }
  for (const [field, value, other] of [
    ['cert', cert, key],
    ['key', key, cert],
  ] as const) {
    if (value !== undefined && !isPem(value)) {
      problems.push({ field: `tls.${field}`, message: 'must be a PEM text or a Buffer' });
    } else if (value === undefined && other !== undefined) {
      problems.push({
        field: `tls.${field}`,
        message: `is required with "tls.${field === 'key' ? 'cert' : 'key'}"`,
      });
    }
  }
  if (passphrase !== undefined && typeof passphrase !== 'string') {
    problems.push({ field: 'tls.passphrase', message: 'must be a text' });
  }
  if (rejectUnauthorized !== undefined && typeof rejectUnauthorized !== 'boolean') {
    problems.push({ field: 'tls.rejectUnauthorized', message: 'must be a boolean' });
  }
  return problems;
}

/**
 * The problems of the fields every provider config shares (`sender`, `test`, `maxRecipients`,
 * `timeoutMs`, `maxConcurrency`, `proxy`, `tls`), checked for every driver, built-in or custom, by the rules a send's
 * own options follow: a default sender the send would refuse is refused at start.
 */
export function commonConfigProblems(config: BaseProviderConfig & HttpProviderConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { sender, test } = config;
  if (sender !== undefined && (typeof sender !== 'string' || !SENDER_PATTERN.test(sender))) {
    problems.push({ field: 'sender', message: SENDER_RULE });
  }
  if (test !== undefined && typeof test !== 'boolean') {
    problems.push({ field: 'test', message: 'must be a boolean' });
  }
  problems.push(...wholeNumberProblems(config, WHOLE_NUMBER_FIELDS), ...egressConfigProblems(config));
  return problems;
}

/**
 * Every problem of one provider config, as the module checks it at start: fields the driver does not
 * know (with the nearest known name), the shared fields, then the driver's own checks for the fields
 * those left alone.
 */
export function providerConfigProblems(
  config: BaseProviderConfig & Record<string, unknown>,
  definition?: SmsDriverDefinition,
): ConfigProblem[] {
  const known = knownConfigFields(config.driver as never, definition);
  const problems = known ? unknownFields(config, known) : [];
  problems.push(...commonConfigProblems(config));
  const seen = new Set(problems.map((p) => p.field));
  for (const problem of definition?.validate?.(config as never) ?? []) {
    if (!seen.has(problem.field)) problems.push(problem);
  }
  return problems;
}
