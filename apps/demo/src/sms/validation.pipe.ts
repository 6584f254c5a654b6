import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { SmsValidationError, type SmsValidationDetail } from 'nestjs-sms';

/** `items`, `items[0]`, `items[0].text`: the paths `SmsValidationError` uses. */
function path(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator errors (nested ones included) into `{ field, message }` details. */
export function toValidationDetails(errors: ValidationError[], parent = ''): SmsValidationDetail[] {
  return errors.flatMap((error) => {
    const field = path(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toValidationDetails(error.children ?? [], field)];
  });
}

/**
 * The global `ValidationPipe` of the demo: transforms bodies and queries into the DTO classes,
 * rejects unknown fields, and reports problems as `SmsValidationError`, so that a bad request
 * looks the same whether the DTO or the library found the problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new SmsValidationError(toValidationDetails(errors)),
  });
}
