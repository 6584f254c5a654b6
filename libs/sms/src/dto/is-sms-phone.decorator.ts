import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { normalizePhone, type SmsCountryCode } from '../message/phone';

/** Options of `@IsSmsPhone()`. */
export interface IsSmsPhoneOptions {
  /** Country of numbers written without a country code. Default `RU`. */
  defaultCountry?: SmsCountryCode;
}

/**
 * Checks that a property is a phone number the library can send to (a string, or with
 * `{ each: true }` every item of an array), parsed with libphonenumber-js.
 *
 * @example
 * class CallbackRequestDto {
 *   @IsSmsPhone()
 *   phone!: string;
 * }
 */
export function IsSmsPhone(options: IsSmsPhoneOptions = {}, validationOptions?: ValidationOptions) {
  const country = options.defaultCountry ?? 'RU';
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isSmsPhone',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && normalizePhone(value, country) !== undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be a valid phone number (such as +7 925 507-06-02)`,
      },
    });
  };
}

/**
 * Checks a recipients property: one phone number, or a non-empty list of them (at most `max`).
 *
 * @example
 * class NotifyDto {
 *   @IsSmsRecipients()
 *   to!: string | string[];
 * }
 */
export function IsSmsRecipients(
  options: IsSmsPhoneOptions & { max?: number } = {},
  validationOptions?: ValidationOptions,
) {
  const country = options.defaultCountry ?? 'RU';
  const max = options.max ?? 10_000;
  const valid = (v: unknown) => typeof v === 'string' && normalizePhone(v, country) !== undefined;
  // The first bad number of a list, found by `validate`, so that the message does not parse again.
  const firstBad = new WeakMap<unknown[], number>();
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isSmsRecipients',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => {
          if (!Array.isArray(value)) return valid(value);
          // The count first: a list over the bound is refused without parsing a number.
          if (value.length === 0 || value.length > max) return false;
          const bad = value.findIndex((v) => !valid(v));
          if (bad >= 0) firstBad.set(value, bad);
          return bad < 0;
        },
        defaultMessage: (args?: ValidationArguments) => {
          const value: unknown = args?.value;
          const property = args?.property ?? 'value';
          if (!Array.isArray(value))
            return `${property} must be a valid phone number (such as +7 925 507-06-02)`;
          if (value.length === 0 || value.length > max) return `${property} must list 1 to ${max} numbers`;
          const bad = firstBad.get(value) ?? value.findIndex((v) => !valid(v));
          return `${property}[${bad}] must be a valid phone number (such as +7 925 507-06-02)`;
        },
      },
    });
  };
}
