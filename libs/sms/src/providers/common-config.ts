import { type BaseProviderConfig, type HttpProviderConfig } from '../interfaces/sms-module-options.interface';
import { SENDER_PATTERN } from '../message/normalize';
import { type ConfigProblem } from './driver-definition';

/** Numeric fields every provider config may set, each a positive whole number. */
const WHOLE_NUMBER_FIELDS = ['maxRecipients', 'timeoutMs', 'maxConcurrency'] as const;

/**
 * The problems of the fields every provider config shares (`sender`, `test`, `maxRecipients`,
 * `timeoutMs`, `maxConcurrency`), checked for every driver, built-in or custom, by the rules a send's
 * own options follow: a default sender the send would refuse is refused at start.
 */
export function commonConfigProblems(config: BaseProviderConfig & HttpProviderConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { sender, test } = config;
  if (sender !== undefined && (typeof sender !== 'string' || !SENDER_PATTERN.test(sender))) {
    problems.push({ field: 'sender', message: 'must be 3–11 of A-Za-z0-9.- or 6–14 digits' });
  }
  if (test !== undefined && typeof test !== 'boolean') {
    problems.push({ field: 'test', message: 'must be a boolean' });
  }
  for (const field of WHOLE_NUMBER_FIELDS) {
    const value = config[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
      problems.push({ field, message: 'must be a positive whole number' });
    }
  }
  return problems;
}
