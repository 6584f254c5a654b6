import { type SentMessageError } from 'nestjs-sms';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsProvider,
} from 'nestjs-sms/driver';

/**
 * What the scripted provider does on one call: throw, wait, answer with this error for every
 * recipient, or (when nothing is scripted) accept.
 */
export type ScriptedStep = Error | { waitMs: number } | { recipientError: SentMessageError };

/**
 * A driver whose calls are scripted per recipient number, for the queue's retry rules. It accepts
 * every message once its script for the number is used up. The script and the call log are static:
 * the worker builds its own instance through Nest DI.
 */
export class ScriptedProvider implements SmsProvider {
  static readonly steps = new Map<string, ScriptedStep[]>();
  /** Calls per number. */
  static readonly calls = new Map<string, number>();
  /** Calls per number that returned accepted. */
  static readonly accepted = new Map<string, number>();
  /** When each call came in. */
  static readonly times: number[] = [];
  readonly capabilities: readonly SmsCapability[] = ['send', 'schedule'];
  private sequence = 0;

  /** Scripts the next calls for `phone` (digits, `79255070602`). */
  static script(phone: string, ...steps: ScriptedStep[]): void {
    ScriptedProvider.steps.set(phone, steps);
  }

  static reset(): void {
    ScriptedProvider.steps.clear();
    ScriptedProvider.calls.clear();
    ScriptedProvider.accepted.clear();
    ScriptedProvider.times.length = 0;
  }

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    const to = request.messages[0].to;
    ScriptedProvider.times.push(Date.now());
    ScriptedProvider.calls.set(to, (ScriptedProvider.calls.get(to) ?? 0) + 1);
    const step = ScriptedProvider.steps.get(to)?.shift();
    if (step instanceof Error) throw step;
    if (step && 'recipientError' in step) {
      return {
        messages: request.messages.map((m) => ({
          to: m.to,
          text: m.text,
          accepted: false,
          status: 'failed',
          segments: m.segments.segments,
          error: step.recipientError,
        })),
      };
    }
    if (step) await new Promise((r) => setTimeout(r, step.waitMs));
    ScriptedProvider.accepted.set(to, (ScriptedProvider.accepted.get(to) ?? 0) + 1);
    return {
      messages: request.messages.map((m) => ({
        to: m.to,
        text: m.text,
        accepted: true,
        id: `scripted-${++this.sequence}`,
        status: 'queued',
        segments: m.segments.segments,
      })),
    };
  }
}
