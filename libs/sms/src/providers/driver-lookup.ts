import { type SmsProviderConfig } from '../interfaces';
import { BUILT_IN_DRIVERS } from './built-in';
import { type SmsDriverDefinition } from './driver-definition';

/** Whether a `driver` value is a driver definition (an object with `name`, `fields` and `create`). */
export function isDriverDefinition(driver: unknown): driver is SmsDriverDefinition {
  const d = driver as Partial<SmsDriverDefinition> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.name === 'string' &&
    Array.isArray(d.fields) &&
    typeof d.create === 'function'
  );
}

/** The names of the built-in drivers. */
export const BUILT_IN_DRIVER_NAMES: readonly string[] = BUILT_IN_DRIVERS.map((d) => d.name);

/**
 * The definition behind a provider's `driver`: a built-in one by name, or the definition given;
 * `undefined` for a driver class (and for a value that is neither).
 */
export function driverDefinitionOf(
  driver: SmsProviderConfig['driver'] | unknown,
): SmsDriverDefinition | undefined {
  if (typeof driver === 'string') return BUILT_IN_DRIVERS.find((d) => d.name === driver);
  return isDriverDefinition(driver) ? driver : undefined;
}

/** How a provider's driver is named in messages: the definition's name, or the class name. */
export function driverLabel(driver: SmsProviderConfig['driver']): string {
  if (typeof driver === 'function') return driver.name;
  return typeof driver === 'string' ? driver : driver.name;
}
