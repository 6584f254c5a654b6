import type * as OtelApi from '@opentelemetry/api';
import { SMS_PACKAGE_VERSION } from '../sms.version';

/** `@opentelemetry/api`, an optional peer: loaded once, `undefined` when it is not installed. */
export const otel: typeof OtelApi | undefined = load('@opentelemetry/api');

/** The instrumentation scope of every span and metric: the package's name and version. */
export const SCOPE_NAME = 'nestjs-sms';
export const SCOPE_VERSION: string = SMS_PACKAGE_VERSION;

function load<T>(id: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as T;
  } catch {
    return undefined;
  }
}
