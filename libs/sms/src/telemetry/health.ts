import { AttributeCache } from './attribute-cache';
import { instruments } from './metrics';

const CHECK = new AttributeCache(['sms.health.status', 'sms.provider', 'sms.queue.name']);

/**
 * `sms.health.checks`: one check's status, with the provider (provider checks) or the queue's name
 * (queue checks) the result names.
 */
export function countHealthCheck(
  result: Record<string, { status: string; provider?: unknown; queue?: unknown }>,
) {
  const metrics = instruments();
  if (!metrics) return;
  for (const { status, provider, queue } of Object.values(result)) {
    metrics.healthChecks.add(
      1,
      CHECK.get(
        status,
        typeof provider === 'string' ? provider : undefined,
        typeof queue === 'string' ? queue : undefined,
      ),
    );
  }
}
