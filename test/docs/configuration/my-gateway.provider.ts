import { Injectable } from '@nestjs/common';
import { SmsError } from 'nestjs-sms';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsProvider,
  type SmsProviderContext,
} from 'nestjs-sms/driver';

/**
 * A gateway of your own: `POST {endpoint}` with `{ to, text, from }` as JSON, answered `{ id }`.
 * One number a request (`maxRecipients: 1`), so a failure never hides which numbers went out.
 */
@Injectable()
export class MyGatewayProvider implements SmsProvider {
  readonly capabilities = ['send'] as const;
  readonly limits = { maxRecipients: 1 };
  private name = 'own';
  private endpoint = '';
  private timeoutMs = 10_000;

  configure({ name, config, timeoutMs }: SmsProviderContext): void {
    if (typeof config.endpoint !== 'string') throw new Error(`provider "${name}": "endpoint" is required`);
    this.name = name;
    this.endpoint = config.endpoint;
    this.timeoutMs = timeoutMs;
  }

  async send({ messages: [message], sender, signal }: ProviderSendRequest): Promise<ProviderSendResult> {
    const { to, text, segments } = message;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text, from: sender }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : undefined,
      });
    } catch {
      // fetch does not say whether the request was written: the gateway may have sent it.
      throw new SmsError(`${this.name}: no answer from the gateway`, {
        code: 'BAD_RESPONSE',
        provider: this.name,
        failure: 'unknown',
      });
    }
    if (response.status === 503) {
      throw new SmsError(`${this.name}: the gateway is down`, {
        code: 'UNAVAILABLE',
        provider: this.name,
        failure: 'unavailable',
      });
    }
    const answer = (await response.json().catch(() => ({}))) as { id?: unknown };
    if (!response.ok || typeof answer.id !== 'string') {
      throw new SmsError(`${this.name}: HTTP ${response.status} without a message id`, {
        code: 'BAD_RESPONSE',
        provider: this.name,
        failure: 'unknown',
      });
    }
    return {
      messages: [{ to, text, accepted: true, id: answer.id, status: 'sent', segments: segments.segments }],
    };
  }
}
