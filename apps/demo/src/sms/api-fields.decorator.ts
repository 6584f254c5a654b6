import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';

/**
 * Describes every field of a class for OpenAPI, from the outside: the library's DTOs carry the
 * validation, the application adds the documentation by subclassing them. The type demands an
 * entry for each field, so a field added to a library DTO does not compile here until it is
 * described.
 *
 * @example
 * @ApiFields<SendSmsDto>({ to: { … }, text: { … }, … })
 * export class SendSmsRequest extends SendSmsDto {}
 */
export function ApiFields<T>(fields: { [K in keyof T]-?: ApiPropertyOptions }): ClassDecorator {
  return (target) => {
    for (const [key, options] of Object.entries<ApiPropertyOptions>(fields)) {
      ApiProperty(options)(target.prototype, key);
    }
  };
}

/** Splits `a,b` and repeated query parameters (`?ids=a&ids=b`) into one trimmed list. */
export function splitList(value: unknown): unknown {
  if (value === undefined) return value;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((s) => s.trim()) : [item]));
}

/**
 * Lets the listed query fields be written comma-separated (`?ids=a,b`) as well as repeated.
 *
 * @example
 * @CommaSeparated('ids')
 * export class GetStatusQuery extends GetStatusDto {}
 */
export function CommaSeparated(...keys: string[]): ClassDecorator {
  return (target) => {
    for (const key of keys) Transform(({ value }) => splitList(value))(target.prototype, key);
  };
}
