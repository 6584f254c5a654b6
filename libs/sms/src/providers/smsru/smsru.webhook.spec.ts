import { createHash } from 'node:crypto';
import { isFinalStatus } from '../../interfaces/delivery-status';
import { SMSRU_STATUS_CODES } from './smsru.codes';
import {
  SMSRU_CALLCHECK_STATUSES,
  smsRuCallbackEntries,
  smsRuCallbackHash,
  smsRuEntryReport,
  smsRuWebhook,
  verifySmsRuCallback,
} from './smsru.webhook';

const API_ID = 'AB12-unit-api-id';
const at = new Date(1_800_000_000_000);
const context = { provider: 'ru', config: { driver: 'smsru' as const, apiId: API_ID }, receivedAt: at };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function fields(entries: Record<string, string>, hash?: string): Map<string, string> {
  const map = new Map(Object.entries(entries));
  if (hash !== undefined) map.set('hash', hash);
  return map;
}

describe('SMS.ru callbacks', () => {
  it('orders data entries by their index, not by arrival or text', () => {
    const f = fields({
      'data[10]': 'c',
      'data[2]': 'b',
      'data[0]': 'a',
      'data[x]': 'ignored',
      other: 'ignored',
    });
    expect(smsRuCallbackEntries(f)).toEqual(['a', 'b', 'c']);
  });

  it('hash = hex SHA-256 of the api_id followed by the entries', () => {
    expect(smsRuCallbackHash(API_ID, ['one', 'two'])).toBe(sha256(`${API_ID}onetwo`));
    expect(verifySmsRuCallback(API_ID, ['one', 'two'], sha256(`${API_ID}onetwo`).toUpperCase())).toBe(true);
    expect(verifySmsRuCallback(API_ID, ['two', 'one'], sha256(`${API_ID}onetwo`))).toBe(false);
    expect(verifySmsRuCallback(API_ID, ['one', 'two'], sha256(`${API_ID}onetwo`).slice(1))).toBe(false);
    expect(verifySmsRuCallback(API_ID, ['one', 'two'], undefined)).toBe(false);
  });

  it.each(Object.entries(SMSRU_STATUS_CODES))('sms_status %s reads as the code table says', (code, row) => {
    const entry = `sms_status\n202626-1\n${code}\n1800000000`;
    expect(smsRuEntryReport(entry, 'ru', new Date())).toEqual({
      provider: 'ru',
      id: '202626-1',
      kind: 'sms',
      status: row.status,
      final: isFinalStatus(row.status),
      providerStatus: Number(code),
      at,
      raw: entry,
    });
  });

  it.each(Object.entries(SMSRU_CALLCHECK_STATUSES))('callcheck_status %s reads as %j', (code, row) => {
    const report = smsRuEntryReport(`callcheck_status\n201737-542\n${code}\n1800000000`, 'ru', new Date());
    expect(report).toMatchObject({
      kind: 'callcheck',
      id: '201737-542',
      status: row.status,
      providerStatus: Number(code),
    });
  });

  it('an unknown code is unknown and not final; a missing time is the arrival time', () => {
    expect(smsRuEntryReport('sms_status\n202626-1\n999', 'ru', at)).toMatchObject({
      status: 'unknown',
      final: false,
      at,
    });
  });

  it('heartbeats and unreadable entries give no report', () => {
    for (const entry of [
      'test\n1800000000',
      'sms_status\n\n103\n1',
      'sms_status\n202626-1\nabc\n1',
      'other\n1\n2\n3',
      '',
    ]) {
      expect(smsRuEntryReport(entry, 'ru', at)).toBeUndefined();
    }
  });

  it('parse: a valid callback gives its reports, a bad hash is 403', () => {
    const entries = ['sms_status\n202626-1\n103\n1800000000', 'test\n1800000000'];
    const ok = smsRuWebhook.parse(
      fields({ 'data[0]': entries[0], 'data[1]': entries[1] }, sha256(API_ID + entries.join(''))),
      context,
    );
    expect(ok).toEqual({
      ok: true,
      reports: [expect.objectContaining({ id: '202626-1', status: 'delivered' })],
    });
    const bad = smsRuWebhook.parse(fields({ 'data[0]': entries[0] }, sha256('x')), context);
    expect(bad).toEqual({ ok: false, status: 403, reason: expect.any(String) });
  });

  it('a provider without apiId cannot take callbacks', () => {
    expect(smsRuWebhook.unavailable!({ driver: 'smsru', login: 'a', password: 'b' })).toContain('"apiId"');
    expect(smsRuWebhook.unavailable!({ driver: 'smsru', apiId: API_ID })).toBeUndefined();
  });
});
