import { AttributeCache } from './attribute-cache';
import { instruments } from './metrics';

const OUTCOME = new AttributeCache(['sms.verify.outcome', 'sms.verify.reason']);

/** What a verification event counts as in `sms.verify.outcomes`: a check's status, or the event's kind. */
const OUTCOMES: Readonly<Record<string, string>> = {
  started: 'sent',
  reused: 'reused',
  refused: 'refused',
  'range-blocked': 'range_blocked',
  'send-failed': 'send_failed',
  cancelled: 'cancelled',
};

/** `sms.verify.outcomes`: one verification event (a refusal with its reason). */
export function countVerifyOutcome(event: { type: string; status?: string; reason?: string }): void {
  const metrics = instruments();
  if (!metrics) return;
  const outcome = event.type === 'checked' ? event.status! : (OUTCOMES[event.type] ?? event.type);
  metrics.verifyOutcomes.add(1, OUTCOME.get(outcome, event.type === 'refused' ? event.reason : undefined));
}
