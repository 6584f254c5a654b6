import { type DeliveryReport } from './delivery-report.interface';
import { DeliveryReportDedupe, deliveryReportKey } from './delivery-report-dedupe';

describe('DeliveryReportDedupe', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('remembers a key for the window, then forgets it', () => {
    const seen = new DeliveryReportDedupe(600, 10, clock);
    seen.add('a');
    now += 599;
    expect(seen.has('a')).toBe(true);
    now += 1;
    expect(seen.has('a')).toBe(false);
    expect(seen.size).toBe(0);
  });

  it('keeps at most maxEntries keys, dropping the oldest first', () => {
    const seen = new DeliveryReportDedupe(60_000, 3, clock);
    for (const key of ['a', 'b', 'c', 'd']) {
      seen.add(key);
      now += 1;
    }
    expect(seen.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => seen.has(k))).toEqual([false, true, true, true]);
  });

  it('a key added again lives a full window from then', () => {
    const seen = new DeliveryReportDedupe(100, 10, clock);
    seen.add('a');
    now += 50;
    seen.add('b');
    now += 10;
    seen.add('a');
    now += 60;
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(true);
    now += 31;
    expect(seen.has('b')).toBe(false);
    expect(seen.has('a')).toBe(true);
    now += 10;
    expect(seen.has('a')).toBe(false);
  });

  it('keys on provider, kind, id and status only', () => {
    const base: DeliveryReport = {
      provider: 'ru',
      id: '1',
      kind: 'sms',
      status: 'sent',
      final: false,
      providerStatus: 101,
      at: new Date(1),
      raw: 'x',
    };
    expect(deliveryReportKey({ ...base, providerStatus: 102, at: new Date(2), raw: 'y' })).toBe(
      deliveryReportKey(base),
    );
    expect(deliveryReportKey({ ...base, status: 'delivered' })).not.toBe(deliveryReportKey(base));
    expect(deliveryReportKey({ ...base, provider: 'ru2' })).not.toBe(deliveryReportKey(base));
    expect(deliveryReportKey({ ...base, kind: 'callcheck' })).not.toBe(deliveryReportKey(base));
  });
});
