import { type Type } from '@nestjs/common';
import { type BaseProviderConfig, type HttpProviderConfig } from '../interfaces/sms-module-options.interface';
import { type SmsProvider } from '../interfaces/sms-provider.interface';
import { unknownFields } from '../config/unknown-fields';
import { SENDER_PATTERN, SENDER_RULE } from '../message/normalize';
import { type ConfigProblem, type SmsDriverDefinition } from './driver-definition';
import { wholeNumberProblems } from './shared/config-checks';

/** Fields every provider config may set. */
export const SHARED_CONFIG_FIELDS = ['driver', 'sender', 'test', 'maxRecipients'] as const;
/** Fields of every provider that talks HTTP (`HttpProviderConfig`). */
export const HTTP_CONFIG_FIELDS = ['baseUrl', 'timeoutMs', 'maxConcurrency'] as const;

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

/**
 * The problems of the fields every provider config shares (`sender`, `test`, `maxRecipients`,
 * `timeoutMs`, `maxConcurrency`), checked for every driver, built-in or custom, by the rules a send's
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
  problems.push(...wholeNumberProblems(config, WHOLE_NUMBER_FIELDS));
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
