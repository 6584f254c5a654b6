// #region driver
import { SmsError } from 'nestjs-sms';
import {
  assembleSend,
  type ChunkAnswer,
  createProviderTransport,
  type HttpProviderConfig,
  type HttpTransport,
  HTTP_CONFIG_FIELDS,
  isNonEmptyText,
  type OutgoingMessage,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsDriverContext,
  type SmsDriverDefinition,
  type SmsProvider,
  type SmsWebhookParser,
  slices,
} from 'nestjs-sms/driver';

/** The config of an Acme provider: `driver: acmeDriver`, a token, and the shared HTTP fields. */
export interface AcmeProviderConfig extends HttpProviderConfig {
  token: string;
}

/** Acme takes at most 50 numbers a request: `POST /v1/send`, form `token`, `to`, `text`. */
const MAX_PER_REQUEST = 50;

/** The Acme driver: one text to many numbers; each answer is `{"accepted":{number:id},"refused":[…]}`. */
export class AcmeProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send'];
  private readonly transport: HttpTransport;

  constructor(private readonly context: SmsDriverContext<AcmeProviderConfig>) {
    this.transport = createProviderTransport(context, {
      baseUrl: 'https://api.acme.example',
      secrets: [context.config.token],
    });
  }

  send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    const chunks = slices(
      request.messages.map((_, i) => i),
      MAX_PER_REQUEST,
    );
    return assembleSend(this.context.name, request, chunks, 4, (batch) => this.sendChunk(batch, request));
  }

  close(): void {
    this.transport.close();
  }

  private sendChunk(batch: OutgoingMessage[], request: ProviderSendRequest): Promise<ChunkAnswer> {
    const fields = {
      token: this.context.config.token,
      to: batch.map((m) => m.to).join(','),
      text: batch[0].text,
    };
    // A send is not idempotent: the transport retries it only when the request provably never left.
    return this.transport.postForm(
      '/v1/send',
      fields,
      (answer) => {
        const json = JSON.parse(answer.body) as { accepted?: Record<string, string>; refused?: string[] };
        if (!json.accepted) throw this.transport.badResponse(answer, 'send: the answer has no "accepted"');
        return { messages: batch.map((m) => this.recipient(m, json.accepted![m.to])) };
      },
      { idempotent: false, signal: request.signal, deadlineAt: request.deadlineAt },
    );
  }

  private recipient(message: OutgoingMessage, id: string | undefined) {
    const base = { to: message.to, text: message.text, segments: message.segments.segments };
    if (id !== undefined) return { ...base, accepted: true, id, status: 'queued' as const };
    const refusal = new SmsError(`${this.context.name}: Acme refused the number`, {
      code: 'INVALID_PHONE',
      provider: this.context.name,
      failure: 'refused',
    });
    return {
      ...base,
      accepted: false,
      status: 'rejected' as const,
      error: {
        code: refusal.code,
        message: refusal.message,
        outcome: refusal.outcome,
        failure: refusal.failure,
      },
    };
  }
}

/** Acme's status callbacks: `POST` with form `id` and `status` (`delivered` or `failed`). */
const acmeWebhook: SmsWebhookParser<AcmeProviderConfig> = {
  methods: ['POST'],
  acknowledgement: 'OK',
  parse(fields, { provider, receivedAt }) {
    const id = fields.get('id');
    const status = fields.get('status');
    if (!id || (status !== 'delivered' && status !== 'failed')) {
      return { ok: false, status: 400, reason: 'the callback has no id or a status Acme does not send' };
    }
    return {
      ok: true,
      reports: [
        {
          provider,
          id,
          kind: 'sms',
          status,
          final: true,
          providerStatus: status,
          at: receivedAt,
          raw: { id, status },
        },
      ],
    };
  },
};

/** The definition: what the module checks at start, how it builds the driver, how callbacks read. */
export const acmeDriver: SmsDriverDefinition<AcmeProviderConfig> = {
  name: 'acme',
  fields: [...HTTP_CONFIG_FIELDS, 'token'],
  validate: (config) =>
    isNonEmptyText(config.token) ? [] : [{ field: 'token', message: 'must be a non-empty text' }],
  create: (context) => new AcmeProvider(context),
  honoursDeadline: true,
  webhook: acmeWebhook,
};
// #endregion driver
