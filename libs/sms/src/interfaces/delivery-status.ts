/**
 * One normalized delivery status for every provider.
 *
 * - `queued`: accepted by the provider, not yet handed to the operator
 * - `scheduled`: waiting for its `sendAt` time
 * - `sent`: handed to the operator, in transit
 * - `delivered` / `read`: reached the handset (read: where the channel reports it)
 * - `undelivered`, `expired`, `rejected`, `failed`: final failures
 * - `not_found`: the provider does not know the id
 * - `unknown`: the outcome could not be established (reconcile later, do not resend)
 */
export type DeliveryStatus =
  | 'queued'
  | 'scheduled'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'undelivered'
  | 'expired'
  | 'rejected'
  | 'failed'
  | 'not_found'
  | 'unknown';

const FINAL_STATUSES: ReadonlySet<DeliveryStatus> = new Set<DeliveryStatus>([
  'delivered',
  'read',
  'undelivered',
  'expired',
  'rejected',
  'failed',
  'not_found',
]);

/** Whether a status can no longer change (`delivered`, `undelivered`, `not_found`, …). */
export function isFinalStatus(status: DeliveryStatus): boolean {
  return FINAL_STATUSES.has(status);
}
