import { type SmsRuProviderConfig } from './smsru.config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { type DeliveryReport } from '../../events/delivery-report.interface';
import { type DeliveryStatus, isFinalStatus } from '../../interfaces/delivery-status';
import {
  type SmsWebhookParser,
  type WebhookFields,
  type WebhookParseContext,
  type WebhookParseResult,
} from '../../webhooks/webhook-parser.interface';
import { smsRuStatus } from './smsru.codes';

/** How one SMS.ru call check status (`callcheck_status` entries) reads as a `DeliveryStatus`. */
export const SMSRU_CALLCHECK_STATUSES: Readonly<
  Record<number, { status: DeliveryStatus; description: string }>
> = Object.freeze({
  400: { status: 'queued', description: 'the number is not confirmed yet' },
  401: { status: 'delivered', description: 'the number is confirmed: the call came' },
  402: { status: 'expired', description: 'the check expired, or the call came from another number' },
});

const DATA_KEY = /^data\[(\d+)\]$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The `data[N]` entries of an SMS.ru callback, in index order. */
export function smsRuCallbackEntries(fields: WebhookFields): string[] {
  const indexed: Array<[number, string]> = [];
  for (const [key, value] of fields) {
    const match = DATA_KEY.exec(key);
    if (match) indexed.push([Number(match[1]), value]);
  }
  return indexed.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

/** SMS.ru's signature of a callback: hex SHA-256 of the `api_id` followed by the entries in index order. */
export function smsRuCallbackHash(apiId: string, entries: readonly string[]): string {
  const hash = createHash('sha256').update(apiId, 'utf8');
  for (const entry of entries) hash.update(entry, 'utf8');
  return hash.digest('hex');
}

/** Whether `hash` signs `entries` under `apiId`, compared in constant time. */
export function verifySmsRuCallback(
  apiId: string,
  entries: readonly string[],
  hash: string | undefined,
): boolean {
  if (hash === undefined || !HEX_SHA256.test(hash)) return false;
  const expected = Buffer.from(smsRuCallbackHash(apiId, entries), 'ascii');
  return timingSafeEqual(expected, Buffer.from(hash.toLowerCase(), 'ascii'));
}

/**
 * One data entry as a report: `sms_status` and `callcheck_status` lines give one; the `test`
 * heartbeat and entries it cannot read give none.
 */
export function smsRuEntryReport(
  entry: string,
  provider: string,
  receivedAt: Date,
): DeliveryReport | undefined {
  const [type, id, code, time] = entry.split('\n').map((line) => line.trim());
  if ((type !== 'sms_status' && type !== 'callcheck_status') || !id || !/^-?\d+$/.test(code ?? ''))
    return undefined;
  const providerStatus = Number(code);
  const seconds = Number(time);
  const at = time && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : receivedAt;
  if (type === 'sms_status') {
    const { status } = smsRuStatus(providerStatus);
    return {
      provider,
      id,
      kind: 'sms',
      status,
      final: isFinalStatus(status),
      providerStatus,
      at,
      raw: entry,
    };
  }
  const status = SMSRU_CALLCHECK_STATUSES[providerStatus]?.status ?? 'unknown';
  return {
    provider,
    id,
    kind: 'callcheck',
    status,
    final: isFinalStatus(status),
    providerStatus,
    at,
    raw: entry,
  };
}

/**
 * SMS.ru status callbacks: `POST` with `data[0]`…`data[N]` and `hash`, answered `100`. A callback
 * whose hash does not verify is refused (403) as a whole. A provider without `apiId` (login and
 * password) cannot verify callbacks and is not mounted.
 */
export const smsRuWebhook: SmsWebhookParser<SmsRuProviderConfig> = {
  methods: ['POST'],
  acknowledgement: '100',
  unavailable: (config) =>
    typeof config.apiId === 'string' && config.apiId !== ''
      ? undefined
      : 'SMS.ru signs callbacks with the api_id, and this provider has none (login and password): give it "apiId" to receive delivery reports',
  parse(fields: WebhookFields, context: WebhookParseContext<SmsRuProviderConfig>): WebhookParseResult {
    const entries = smsRuCallbackEntries(fields);
    if (!context.config.apiId || !verifySmsRuCallback(context.config.apiId, entries, fields.get('hash'))) {
      return { ok: false, status: 403, reason: 'the hash does not match' };
    }
    const reports = entries
      .map((entry) => smsRuEntryReport(entry, context.provider, context.receivedAt))
      .filter((report): report is DeliveryReport => report !== undefined);
    return { ok: true, reports };
  },
};
