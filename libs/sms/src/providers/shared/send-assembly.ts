import { RECONCILE_HINT } from '../../errors/sms-error-messages';
import { SmsError } from '../../errors/sms.error';
import {
  type OutgoingMessage,
  type ProviderSendResult,
  type SentMessage,
  type SentMessageError,
} from '../../interfaces';
import { mapLimited } from './batching';

/**
 * The per-recipient form of an error: its code, failure class and outcome, and the provider's own
 * code and text when it gave them. The class travels with the recipient, so the router decides for
 * it exactly as it would for the error.
 */
export function recipientErrorOf(error: SmsError): SentMessageError {
  const detail: SentMessageError = {
    code: error.code,
    message: error.message,
    outcome: error.outcome,
    failure: error.failure,
  };
  if (error.providerCode !== undefined) detail.providerCode = error.providerCode;
  if (error.providerMessage !== undefined) detail.providerMessage = error.providerMessage;
  return detail;
}

/**
 * A recipient of one request that failed as a whole, in a send whose other requests went through:
 * it carries that request's error (class and outcome included), `status: 'unknown'` when the request
 * may have been carried out, `'failed'` otherwise.
 */
export function chunkFailure(message: OutgoingMessage, error: SmsError): SentMessage {
  return {
    to: message.to,
    text: message.text,
    segments: message.segments.segments,
    accepted: false,
    status: error.outcome === 'unknown' ? 'unknown' : 'failed',
    error: recipientErrorOf(error),
  };
}

/**
 * The error a send throws when none of its requests got an answer: one whose outcome is unknown
 * when there is one (the caller must not resend any of it), else the first.
 */
export function sendFailure(errors: readonly SmsError[]): SmsError {
  return errors.find((e) => e.outcome === 'unknown') ?? errors[0];
}

/** What one request of a send brought back: one entry per message of the request, in order. */
export interface ChunkAnswer {
  messages: SentMessage[];
  /** What the request cost, when the answer says; else the sum of its accepted messages' prices. */
  cost?: number;
  balance?: number;
}

/** Money sums without binary noise (`0.1 + 0.2`): 4 decimals, for every driver. */
export function roundMoney(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * Wraps what a driver's request threw: an `SmsError` as it is; anything else says nothing of how far
 * the request got, so it is `UNKNOWN` with the `unknown` failure class (the caller must not resend).
 */
export function wrapError(provider: string, error: unknown): SmsError {
  if (error instanceof SmsError) return error;
  return new SmsError(`${provider}: the request failed unexpectedly. ${RECONCILE_HINT}`, {
    code: 'UNKNOWN',
    provider,
    failure: 'unknown',
  });
}

/** The error of a request that did not start because the call's deadline had passed: not sent. */
export function deadlinePassed(provider: string): SmsError {
  return new SmsError(`${provider}: the call's deadline passed before this request went out; not sent`, {
    code: 'TIMEOUT',
    provider,
    failure: 'unavailable',
  });
}

/**
 * Sends the requests of one send (`chunks`: the message indexes of each request), `concurrency` at
 * once, and assembles one result in input order, by one rule for every driver:
 *
 * - a request that fails carries its error to each of its recipients (`chunkFailure`); when every
 *   request fails, the send throws (`sendFailure`: an unknown outcome first);
 * - a request that has not started when the call's deadline passes is not sent (`TIMEOUT`);
 * - the cost is the sum of the requests' costs (each the answer's own, or the sum of its accepted
 *   prices), rounded to 4 decimals; unknown when one answered request's cost is;
 * - the balance is the lowest one seen (the state after the most charges).
 */
export async function assembleSend(
  provider: string,
  request: { messages: readonly OutgoingMessage[]; signal?: AbortSignal },
  chunks: readonly (readonly number[])[],
  concurrency: number,
  send: (batch: OutgoingMessage[]) => Promise<ChunkAnswer>,
): Promise<ProviderSendResult> {
  const { messages } = request;
  const results = new Array<SentMessage>(messages.length);
  const failures: SmsError[] = [];
  let answered = 0;
  let cost: number | undefined = 0;
  let balance: number | undefined;
  await mapLimited(chunks, concurrency, async (indexes) => {
    try {
      if (request.signal?.aborted) throw deadlinePassed(provider);
      const answer = await send(indexes.map((i) => messages[i]));
      indexes.forEach((i, k) => (results[i] = answer.messages[k]));
      answered++;
      const chunkCost = answer.cost ?? pricesOf(answer.messages);
      cost = cost === undefined || chunkCost === undefined ? undefined : cost + chunkCost;
      if (answer.balance !== undefined) balance = Math.min(balance ?? Infinity, answer.balance);
    } catch (e) {
      const error = wrapError(provider, e);
      failures.push(error);
      for (const i of indexes) results[i] = chunkFailure(messages[i], error);
    }
  });
  if (answered === 0) throw sendFailure(failures);
  const result: ProviderSendResult = { messages: results };
  if (cost !== undefined && results.some((m) => m.accepted)) result.cost = roundMoney(cost);
  if (balance !== undefined) result.balance = balance;
  return result;
}

/** The sum of the accepted messages' prices; unknown when one of them has none. */
function pricesOf(messages: readonly SentMessage[]): number | undefined {
  let sum = 0;
  for (const m of messages) {
    if (!m.accepted) continue;
    if (m.price === undefined) return undefined;
    sum += m.price;
  }
  return sum;
}
