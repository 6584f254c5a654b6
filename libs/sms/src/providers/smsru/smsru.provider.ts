import { SmsError, SmsValidationError, type SmsValidationDetail } from '../../errors';
import {
  type CostItem,
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsProvider,
  type SmsProviderLimits,
} from '../../interfaces';
import { normalizePhone } from '../../message/phone';
import { type FormFields } from '../../transport/http-transport';
import { mapLimited, slices } from '../shared/batching';
import { assembleSend, roundMoney } from '../shared/send-assembly';
import { readMap, readNumber } from './smsru.answers';
import { type SmsRuFreeMessages, type SmsRuLimit, type SmsRuStoplistEntry } from './smsru.types';
import { DAY_MS, MESSAGE_ID, planSend, SMSRU_MAX_PER_REQUEST, SmsRuClient } from './smsru.client';
import { ALL_CAPABILITIES } from '../shared/capabilities';

export { SMSRU_BASE_URL, SMSRU_DEFAULT_CHUNK_CONCURRENCY, SMSRU_MAX_PER_REQUEST } from './smsru.client';

/**
 * The SMS.ru driver (`driver: 'smsru'`): sends, statuses, cost, balance, and the account operations
 * (auth check, limits, senders, stop list, callbacks) over `POST https://sms.ru/<method>?json=1`,
 * credentials in the form body.
 *
 * Sends of more than 100 numbers go out as requests of at most 100, `chunkConcurrency` at once, and
 * come back as one result in input order.
 *
 * @example
 * const smsru = sms.driver('main', SmsRuProvider);
 * await smsru.addToStoplist('+7 925 507-06-02', 'asked to stop');
 * const { total, usedToday } = await smsru.getLimit();
 */
export class SmsRuProvider extends SmsRuClient implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [...ALL_CAPABILITIES];
  /** At most 8 parts a text (code 205), `sendAt` at most 60 days ahead, `ttlMinutes` 1–1440. */
  readonly limits: Partial<SmsProviderLimits> = {
    maxParts: 8,
    maxScheduleAheadMs: 60 * DAY_MS,
    ttlMinutes: { min: 1, max: 1440 },
  };
  /**
   * Sends through `sms/send`: one text as `to=<list>&msg=`, different texts as `to[<number>]=<text>`.
   * A refused recipient is `accepted: false` in place; a request refused as a whole throws, unless
   * other requests of the same call went through, in which case its recipients carry its error.
   */
  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    if (request.messages.length === 0) return { messages: [] };
    return assembleSend(this.name, request, planSend(request.messages), this.chunkConcurrency, (batch) =>
      this.sendChunk(batch, request),
    );
  }

  /** Statuses through `sms/status`, 100 ids a request; in the order of `ids`. */
  async getStatus(ids: string[], options: ProviderCallOptions = {}): Promise<ProviderMessageStatus[]> {
    const bad = ids.findIndex((id) => typeof id !== 'string' || !MESSAGE_ID.test(id));
    if (bad >= 0) {
      throw new SmsValidationError(
        [{ field: `ids[${bad}]`, message: 'must be an SMS.ru message id' }],
        this.name,
      );
    }
    const parts = await mapLimited(slices(ids, SMSRU_MAX_PER_REQUEST), this.chunkConcurrency, (batch) =>
      this.call('sms/status', 'status', { sms_id: batch.join(',') }, options, (data, answer) =>
        this.reader.readStatuses(data, answer, batch),
      ),
    );
    return parts.flat();
  }

  /** What a send would cost, through `sms/cost`, 100 numbers a request; the text goes as `msg`, as in a send. */
  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    const { messages } = request;
    const groups = new Map<string, number[]>();
    messages.forEach((m, i) => groups.set(m.text, [...(groups.get(m.text) ?? []), i]));
    const chunks = [...groups.values()].flatMap((indexes) => slices(indexes, SMSRU_MAX_PER_REQUEST));
    const answers = await mapLimited(chunks, this.chunkConcurrency, (indexes) => {
      const batch = indexes.map((i) => messages[i]);
      const fields: FormFields = {
        to: batch.map((m) => m.to).join(','),
        msg: batch[0].text,
        from: request.sender,
        translit: request.translit ? 1 : undefined,
      };
      const options = { signal: request.signal, deadlineAt: request.deadlineAt };
      return this.call('sms/cost', 'cost', fields, options, (data, answer) =>
        this.reader.readCost(data, answer, batch),
      );
    });
    const items = new Array<CostItem>(messages.length);
    answers.forEach((answer, c) => chunks[c].forEach((i, k) => (items[i] = answer.items[k])));
    const segments = answers.map((a) => a.totalSegments);
    const result: ProviderCostResult = {
      total: roundMoney(answers.reduce((sum, a) => sum + a.total, 0)),
      messages: items,
    };
    if (segments.every((n) => n !== undefined)) result.totalSegments = segments.reduce((a, b) => a + b, 0);
    return result;
  }

  /** The account balance in RUB (`my/balance`). */
  async getBalance(options: ProviderCallOptions = {}): Promise<number> {
    return this.call('my/balance', 'balance', {}, options, (data, answer) => {
      const balance = readNumber(data.balance);
      if (balance === undefined)
        throw this.transport.badResponse(answer, 'balance: the answer has no balance');
      return balance;
    });
  }

  /**
   * Whether SMS.ru accepts the configured credentials (`auth/check`): `false` for an `AUTH` answer,
   * an error for anything else that goes wrong.
   */
  async checkAuth(options: ProviderCallOptions = {}): Promise<boolean> {
    try {
      return await this.call('auth/check', 'auth check', {}, options, () => true);
    } catch (e) {
      if (e instanceof SmsError && e.code === 'AUTH') return false;
      throw e;
    }
  }

  /** The daily sending limit and what is used of it today (`my/limit`). */
  async getLimit(options: ProviderCallOptions = {}): Promise<SmsRuLimit> {
    return this.call('my/limit', 'limit', {}, options, (data, answer) => ({
      total: this.requireNumber(data.total_limit, answer, 'limit: the answer has no total_limit'),
      usedToday: this.readUsedToday(data, answer, 'limit'),
    }));
  }

  /** The free messages to the account's own number and what is used of them today (`my/free`). */
  async getFree(options: ProviderCallOptions = {}): Promise<SmsRuFreeMessages> {
    return this.call('my/free', 'free', {}, options, (data, answer) => ({
      total: this.requireNumber(data.total_free, answer, 'free: the answer has no total_free'),
      usedToday: this.readUsedToday(data, answer, 'free'),
    }));
  }

  /** The account's approved sender names (`my/senders`); empty when it has none. */
  async getSenders(options: ProviderCallOptions = {}): Promise<string[]> {
    return this.call('my/senders', 'senders', {}, options, (data, answer) =>
      this.readStrings(data.senders, answer, 'senders'),
    );
  }

  /** Adds a number to the account's stop list (`stoplist/add`); nothing is sent to it afterwards. */
  async addToStoplist(phone: string, note: string, options: ProviderCallOptions = {}): Promise<void> {
    const details: SmsValidationDetail[] = [];
    const number = normalizePhone(phone, this.defaultCountry);
    if (number === undefined) details.push({ field: 'phone', message: 'is not a valid phone number' });
    if (typeof note !== 'string' || note.trim() === '')
      details.push({ field: 'note', message: 'must be a non-empty text' });
    if (details.length > 0) throw new SmsValidationError(details, this.name);
    const fields = { stoplist_phone: number, stoplist_text: note };
    await this.call('stoplist/add', 'stop list add', fields, options, () => undefined);
  }

  /** Removes a number from the account's stop list (`stoplist/del`). */
  async removeFromStoplist(phone: string, options: ProviderCallOptions = {}): Promise<void> {
    const number = this.phone(phone);
    await this.call('stoplist/del', 'stop list remove', { stoplist_phone: number }, options, () => undefined);
  }

  /** The account's stop list (`stoplist/get`). */
  async getStoplist(options: ProviderCallOptions = {}): Promise<SmsRuStoplistEntry[]> {
    return this.call('stoplist/get', 'stop list', {}, options, (data, answer) => {
      const map = data.stoplist === undefined ? {} : readMap(data.stoplist);
      if (map === undefined) throw this.transport.badResponse(answer, 'stop list: "stoplist" is not a map');
      return Object.entries(map).map(([phone, note]) => {
        if (typeof note !== 'string' && note !== null) {
          throw this.transport.badResponse(answer, 'stop list: a note is not a text');
        }
        return { phone, note: note ?? '' };
      });
    });
  }

  /** Registers a delivery callback URL (`callback/add`); resolves to every registered URL. */
  async addCallback(url: string, options: ProviderCallOptions = {}): Promise<string[]> {
    this.checkUrl(url);
    return this.call('callback/add', 'callback add', { url }, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }

  /** Removes a delivery callback URL (`callback/del`); resolves to the URLs still registered. */
  async removeCallback(url: string, options: ProviderCallOptions = {}): Promise<string[]> {
    this.checkUrl(url);
    return this.call('callback/del', 'callback remove', { url }, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }

  /** The registered delivery callback URLs (`callback/get`). */
  async getCallbacks(options: ProviderCallOptions = {}): Promise<string[]> {
    return this.call('callback/get', 'callbacks', {}, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }
}
