import { type ConfigProblem } from '../driver-definition';

/** Whether a value is a text with something besides white space. */
export function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Whether a value is an absolute URL of one of `protocols` (default `http:` and `https:`). */
export function isUrl(value: unknown, protocols: readonly string[] = ['http:', 'https:']): boolean {
  if (typeof value !== 'string') return false;
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Whether a value is a positive whole number. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** The problems of optional fields that must each be a positive whole number. */
export function wholeNumberProblems(config: object, fields: readonly string[]): ConfigProblem[] {
  const values = config as Record<string, unknown>;
  return fields
    .filter((field) => values[field] !== undefined && !isPositiveInteger(values[field]))
    .map((field) => ({ field, message: 'must be a positive whole number' }));
}

/**
 * The problem of a credential pair: `key` alone, or `login` + `password` (each a non-empty text).
 * `keyField` names the key (`apiId`, `apiKey`).
 */
export function credentialProblems(
  config: object,
  keyField: string,
  keyMessage = 'must be a non-empty text',
): ConfigProblem[] {
  const { login, password, [keyField]: key } = config as Record<string, unknown>;
  if (key !== undefined) return isNonEmptyText(key) ? [] : [{ field: keyField, message: keyMessage }];
  if (login === undefined && password === undefined) {
    return [{ field: keyField, message: 'is required (or "login" and "password")' }];
  }
  const problems: ConfigProblem[] = [];
  if (!isNonEmptyText(login)) {
    problems.push({ field: 'login', message: `is required with "password" (or give "${keyField}")` });
  }
  if (!isNonEmptyText(password)) {
    problems.push({ field: 'password', message: `is required with "login" (or give "${keyField}")` });
  }
  return problems;
}
