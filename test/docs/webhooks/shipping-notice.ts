import { Injectable } from '@nestjs/common';
import { type MessageStatus, SmsService } from 'nestjs-sms';

/** Messages still in transit when the wait ran out, for a later job to ask about again. */
@Injectable()
export class Reconciliation {
  readonly pending: Array<{ provider: string; id: string }> = [];

  schedule(provider: string, id: string): void {
    this.pending.push({ provider, id });
  }
}

@Injectable()
export class ShippingNotice {
  constructor(
    private readonly sms: SmsService,
    private readonly reconciliation: Reconciliation,
  ) {}

  /** Texts the customer and waits for the final status; `undefined` when the provider refused the number. */
  async send(to: string, text: string, timeoutMs = 120_000): Promise<MessageStatus | undefined> {
    const [message] = (await this.sms.send({ to, text })).messages;
    if (!message.accepted || !message.id) return undefined; // message.error says why
    // Ask the provider that took the message: with failover it is not always the default one.
    const [status] = await this.sms.waitForFinalStatus(message.id, { provider: message.provider, timeoutMs });
    if (!status.final) this.reconciliation.schedule(status.provider, status.id); // still in transit
    return status;
  }
}
