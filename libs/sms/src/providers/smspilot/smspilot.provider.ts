import { SmsValidationError, type SmsValidationDetail } from '../../errors';
import {
  type CostItem,
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SentMessage,
  type SmsCapability,
  type SmsProvider,
  type SmsProviderLimits,
} from '../../interfaces';
import { countSegments } from '../../message/segments';
import { mapLimited } from '../shared/batching';
import { roundMoney } from '../shared/send-assembly';
import { readAccountInfo, readBalance, readCost, readInbound } from './smspilot.answers';
import { SMSPILOT_HLR_STATUSES, SMSPILOT_ID_NOT_FOUND, SMSPILOT_STATUSES } from './smspilot.codes';
import {
  type SmsPilotAccountInfo,
  type SmsPilotCallOptions,
  type SmsPilotHlrResult,
  type SmsPilotInboundFilter,
  type SmsPilotInboundMessage,
  type SmsPilotMessageInput,
  type SmsPilotSubmission,
} from './smspilot.types';
import { chunkByText, defined, MAX_NUMBERS_PER_REQUEST, SmsPilotClient } from './smspilot.client';
import { BASE_CAPABILITIES } from '../shared/capabilities';

export { SMSPILOT_DEFAULT_BASE_URL } from './smspilot.client';

/**
 * The SMSPilot driver (`driver: 'smspilot'`): every call is `POST {baseUrl}/api.php` with a form body
 * holding the credentials and `format=json`.
 *
 * Besides the `SmsProvider` operations it offers SMSPilot's own: account info, inbound messages, HLR
 * and PING requests, voice calls and 2WAY messages.
 *
 * @example
 * const pilot = sms.driver('backup', SmsPilotProvider);
 * const hlr = await pilot.sendHlr('+7 908 796-47-81');
 * const [result] = await pilot.getHlrStatus(hlr.id!);
 */
export class SmsPilotProvider extends SmsPilotClient implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [...BASE_CAPABILITIES, 'testMode'];
  /** SMSPilot takes `ttl` from 10 to 1440 minutes. */
  readonly limits: Partial<SmsProviderLimits> = { ttlMinutes: { min: 10, max: 1440 } };
  /**
   * Sends one request per distinct text (and per 500 numbers), `chunkConcurrency` at a time. A number
   * SMSPilot leaves out of its answer was dropped as invalid: `accepted: false`, `INVALID_PHONE`.
   */
  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    return this.submit(request.messages, this.sendFields(request.sender, request), request);
  }

  /**
   * Statuses by id, in the order asked. An id SMSPilot answers 302 ("not found") for when asked alone
   * is `not_found`; one it answered for without listing it is `unknown`, not final.
   */
  async getStatus(ids: string[], options: ProviderCallOptions = {}): Promise<ProviderMessageStatus[]> {
    const { entries, notFound } = await this.check(ids, options);
    return ids.map((id): ProviderMessageStatus => {
      const entry = entries.get(id);
      if (!entry) {
        return notFound.has(id)
          ? { id, status: 'not_found', final: true, providerStatus: SMSPILOT_ID_NOT_FOUND }
          : { id, status: 'unknown', final: false, providerStatus: 'not_listed' };
      }
      const mapping = SMSPILOT_STATUSES[String(entry.status)];
      return {
        id,
        status: mapping?.status ?? 'unknown',
        final: mapping?.final ?? false,
        providerStatus: entry.status,
        ...defined({ price: entry.price, to: entry.phone || undefined }),
      };
    });
  }

  /**
   * The price of a send (`cost=1`, nothing sent). SMSPilot prices a request as a whole, so a
   * recipient's own price is known only when its text goes to it alone.
   */
  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    const { messages } = request;
    const chunks = chunkByText(messages, MAX_NUMBERS_PER_REQUEST);
    const items = new Array<CostItem>(messages.length);
    const totals = await mapLimited(chunks, this.chunkConcurrency, async (chunk) => {
      const numbers = chunk.indexes.map((i) => messages[i].to);
      const fields = { from: request.sender, cost: 1, send: chunk.text, to: numbers.join(',') };
      const answer = await this.post(
        fields,
        this.parseRefusable('not_sent', (json) => ({ cost: readCost(json) })),
        { ...request, idempotent: true },
      );
      for (const i of chunk.indexes) {
        const item: CostItem = { to: messages[i].to, segments: messages[i].segments.segments };
        if ('refused' in answer) item.error = this.refusal(answer.refused);
        else if (chunk.indexes.length === 1) item.price = answer.cost;
        items[i] = item;
      }
      return 'cost' in answer ? answer.cost : 0;
    });
    return { total: roundMoney(totals.reduce((sum, n) => sum + n, 0)), messages: items };
  }

  /** The balance in RUB (`balance=rur`). */
  async getBalance(options: ProviderCallOptions = {}): Promise<number> {
    const parse = this.parse('not_sent', (json) => readBalance(this.orThrow(json)));
    return this.post({ balance: 'rur' }, parse, { ...options, idempotent: true });
  }

  /** The account behind the credentials: contract, tariff, balance, senders. */
  async getInfo(options: SmsPilotCallOptions = {}): Promise<SmsPilotAccountInfo> {
    const parse = this.parse('not_sent', (json) => readAccountInfo(this.orThrow(json)));
    return this.post({}, parse, { ...options, idempotent: true });
  }

  /**
   * Messages received on the account's numbers: `all`, the unread ones (`new`, which marks them
   * read, so a lost answer is not asked again) or those received since a moment.
   *
   * @example
   * const replies = await pilot.getInbound(new Date(Date.now() - 3_600_000));
   */
  async getInbound(
    filter: SmsPilotInboundFilter,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotInboundMessage[]> {
    const isDate = filter instanceof Date && !Number.isNaN(filter.getTime());
    if (filter !== 'all' && filter !== 'new' && !isDate) {
      throw new SmsValidationError(
        [{ field: 'filter', message: 'must be "all", "new" or a valid Date' }],
        this.name,
      );
    }
    const inbound = filter instanceof Date ? Math.floor(filter.getTime() / 1000) : filter;
    const markedRead = inbound === 'new';
    return this.post(
      { inbound },
      this.parse(markedRead ? 'unknown' : 'not_sent', (json) => readInbound(this.orThrow(json))),
      { ...options, idempotent: !markedRead },
    );
  }

  /** Asks the operator's HLR whether a number is served; read the result with `getHlrStatus(id)`. */
  async sendHlr(phone: string, options: SmsPilotCallOptions = {}): Promise<SentMessage> {
    return this.sendHidden(phone, 'HLR', options);
  }

  /** HLR results by the ids `sendHlr` returned, in the order asked. */
  async getHlrStatus(
    ids: string | string[],
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotHlrResult[]> {
    const list = this.ids(ids);
    const { entries, notFound } = await this.check(list, options);
    return list.map((id): SmsPilotHlrResult => {
      const entry = entries.get(id);
      if (!entry && notFound.has(id)) {
        return { id, providerStatus: -2, state: 'failed', final: true, roaming: false };
      }
      if (!entry) return { id, providerStatus: 'not_listed', state: 'unknown', final: false, roaming: false };
      const mapping = SMSPILOT_HLR_STATUSES[String(entry.status)];
      const { imsi, msc, mcc, mnc, cn, net, rcn, rnet } = entry.hlr;
      return {
        id,
        ...defined({ phone: entry.phone || undefined, price: entry.price }),
        providerStatus: entry.status,
        state: mapping?.state ?? 'unknown',
        final: mapping?.final ?? false,
        ...defined({ imsi, msc, mcc, mnc, country: cn, network: net }),
        roaming: rcn !== undefined || rnet !== undefined,
        ...defined({ roamingCountry: rcn, roamingNetwork: rnet }),
      };
    });
  }

  /** Sends a hidden PING message to see whether the handset is on; read it with `getStatus`. */
  async sendPing(phone: string, options: SmsPilotCallOptions = {}): Promise<SentMessage> {
    return this.sendHidden(phone, 'PING', options);
  }

  /** A robot calls the numbers and reads the text out (`from=GOLOS`). */
  async sendVoice(
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotSubmission> {
    return this.sendAs('GOLOS', input, options);
  }

  /** An SMS from a mobile number that the recipient can answer; replies arrive in `getInbound` (`from=2WAY`). */
  async sendTwoWay(
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotSubmission> {
    return this.sendAs('2WAY', input, options);
  }

  private async sendHidden(
    phone: string,
    text: 'HLR' | 'PING',
    options: SmsPilotCallOptions,
  ): Promise<SentMessage> {
    const details: SmsValidationDetail[] = [];
    const to = this.phone(phone, 'phone', details);
    if (to === undefined) throw new SmsValidationError(details, this.name);
    const message = { to, text, segments: countSegments(text) };
    const fields = this.sendFields(undefined, { test: this.config.test });
    // The callback of an HLR or PING request is no delivery report of an SMS: `fields=message` makes
    // SMSPilot put the text (HLR, PING) in it, so that the webhook endpoint can tell.
    if (typeof fields.callback === 'string')
      fields.callback = withCallbackFields(fields.callback, ['message']);
    const result = await this.submit([message], fields, options);
    return result.messages[0];
  }

  private async sendAs(
    from: 'GOLOS' | '2WAY',
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions,
  ): Promise<SmsPilotSubmission> {
    const details: SmsValidationDetail[] = [];
    if (input === null || typeof input !== 'object') {
      throw new SmsValidationError([{ field: 'input', message: 'must be an object' }], this.name);
    }
    const list: unknown[] = Array.isArray(input.to) ? input.to : [input.to];
    if (list.length === 0) details.push({ field: 'to', message: 'must name at least one number' });
    const numbers = new Set<string>();
    list.forEach((raw, i) => {
      const phone = this.phone(raw, Array.isArray(input.to) ? `to[${i}]` : 'to', details);
      if (phone !== undefined) numbers.add(phone);
    });
    if (typeof input.text !== 'string' || input.text.trim() === '') {
      details.push({ field: 'text', message: 'must be a non-empty text' });
    }
    if (input.test !== undefined && typeof input.test !== 'boolean') {
      details.push({ field: 'test', message: 'must be a boolean' });
    }
    if (details.length > 0) throw new SmsValidationError(details, this.name);
    const segments = countSegments(input.text);
    const messages = [...numbers].map((to) => ({ to, text: input.text, segments }));
    return this.submit(messages, this.sendFields(from, { test: input.test ?? this.config.test }), options);
  }
}

/**
 * A callback URL whose `fields` parameter (SMSPilot's list of extra callback fields) also names
 * `wanted`.
 */
function withCallbackFields(url: string, wanted: readonly string[]): string {
  const parsed = new URL(url);
  const asked = (parsed.searchParams.get('fields') ?? '').split(',').map((f) => f.trim());
  parsed.searchParams.set('fields', [...new Set([...asked, ...wanted])].filter((f) => f !== '').join(','));
  return parsed.toString();
}
