import { SmsError } from '../errors/sms.error';
import { type SmsOperation } from './call-span';
import { PROVIDER_OPERATION_RESULT, instruments } from './metrics';

/** The reads of a provider, as `sms.operation`. */
export type SmsReadOperation = Extract<SmsOperation, 'get_status' | 'get_cost' | 'get_balance'>;

/**
 * Runs one read of a provider (status, cost, balance) and records it in
 * `sms.provider.request.duration`: `sms.result` `accepted` for an answer, the failure class of an
 * `SmsError` otherwise. Without an SDK it is `read()`, nothing measured.
 */
export function measureRead<T>(
  provider: string,
  operation: SmsReadOperation,
  read: () => Promise<T>,
): Promise<T> {
  const metrics = instruments();
  if (!metrics) return read();
  const started = performance.now();
  const record = (result: string) =>
    metrics.providerDuration.record(
      (performance.now() - started) / 1000,
      PROVIDER_OPERATION_RESULT.get(provider, operation, result),
    );
  return read().then(
    (value) => {
      record('accepted');
      return value;
    },
    (error: unknown) => {
      record(error instanceof SmsError ? error.failure : 'unknown');
      throw error;
    },
  );
}
