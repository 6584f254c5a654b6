import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { DEFAULT_PROVIDER_LIMITS } from '../interfaces/sms-provider.interface';
import { maxTextLength } from '../message/segments';

/** Options of `@IsSmsText()`. */
export interface IsSmsTextOptions {
  /**
   * SMS parts the longest accepted text may take: the length bound is the longest text that many
   * parts can hold. Default 10, the most any built-in provider takes;
   * `SmsService` then checks the chosen provider's exact parts.
   */
  maxParts?: number;
}

/**
 * Checks an SMS text: a string, not blank, of at most the length `maxParts` parts can hold (1530
 * characters by default). The length comes first (O(1)), so a huge body costs nothing to refuse.
 *
 * @example
 * class NotifyDto {
 *   @IsSmsText()
 *   text!: string;
 * }
 */
export function IsSmsText(options: IsSmsTextOptions = {}, validationOptions?: ValidationOptions) {
  const parts = options.maxParts ?? DEFAULT_PROVIDER_LIMITS.maxParts;
  const max = maxTextLength(parts);
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return 'must be a string';
    if (value.length > max) return `must be at most ${max} characters (${parts} SMS parts)`;
    return value.trim() === '' ? 'must not be empty' : undefined;
  };
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isSmsText',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${problem(args?.value) ?? 'must be an SMS text'}`,
      },
    });
  };
}
