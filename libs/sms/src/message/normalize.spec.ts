import { SmsError, SmsValidationError } from '../errors';
import { DEFAULT_PROVIDER_LIMITS, type SendInput, type SmsProviderLimits } from '../interfaces';
import { type NormalizeContext, normalizeBatch, normalizeSend } from './normalize';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const DAY = 86_400_000;

function context(limits: Partial<SmsProviderLimits> = {}): NormalizeContext {
  return { defaultCountry: 'RU', limits: { ...DEFAULT_PROVIDER_LIMITS, ...limits }, now: NOW };
}

/** The `SmsValidationError` that `fn` throws. */
function validationError(fn: () => unknown): SmsValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SmsValidationError);
    return e as SmsValidationError;
  }
  throw new Error('expected an SmsValidationError, nothing was thrown');
}

function fields(fn: () => unknown): string[] {
  return validationError(fn).details.map((d) => d.field);
}

const send = (input: Partial<SendInput>, ctx = context()) =>
  normalizeSend({ to: '+7 925 507-06-02', text: 'Hello', ...input } as SendInput, ctx);

describe('normalizeSend', () => {
  it('normalizes numbers, measures the text and keeps valid options', () => {
    const sendAt = new Date(NOW + 3_600_000);
    const result = send({
      to: ['8 925 507 06 02', '+7 926 000-00-01'],
      text: 'Привет',
      sender: 'MyShop',
      sendAt,
      ttlMinutes: 60,
      clientIp: '77.88.8.8',
      test: true,
      translit: false,
      daytime: true,
    });
    expect(result.messages).toEqual([
      { to: '79255070602', text: 'Привет', segments: { encoding: 'UCS-2', segments: 1, units: 6 } },
      { to: '79260000001', text: 'Привет', segments: { encoding: 'UCS-2', segments: 1, units: 6 } },
    ]);
    expect(result.options).toEqual({
      sender: 'MyShop',
      sendAt,
      ttlMinutes: 60,
      clientIp: '77.88.8.8',
      test: true,
      translit: false,
      daytime: true,
    });
  });

  it('sends a repeated number once, keeping the first position', () => {
    const result = send({ to: ['+7 925 507-06-02', '+7 926 000-00-01', '89255070602', '79255070602'] });
    expect(result.messages.map((m) => m.to)).toEqual(['79255070602', '79260000001']);
  });

  it.each(['', '   ', '\n\t ', undefined, 42])('rejects the text %j', (text) => {
    const error = validationError(() => send({ text: text as string }));
    expect(error.details).toEqual([{ field: 'text', message: 'must be a non-empty text' }]);
    expect(error).toMatchObject({ code: 'VALIDATION', outcome: 'not_sent', retryable: false });
  });

  it('rejects a number that does not parse, naming its position', () => {
    const error = validationError(() => send({ to: ['+7 925 507-06-02', '12345', 'nope'] }));
    expect(error.details).toEqual([
      { field: 'to[1]', message: 'is not a valid phone number' },
      { field: 'to[2]', message: 'is not a valid phone number' },
    ]);
    expect(fields(() => send({ to: '+7 925' }))).toEqual(['to']);
  });

  it('rejects an empty recipient list', () => {
    expect(fields(() => send({ to: [] }))).toEqual(['to']);
  });

  it('rejects more recipients than the provider allows, counting before de-duplication', () => {
    const ctx = context({ maxRecipients: 3 });
    expect(send({ to: ['89255070601', '89255070602', '89255070603'] }, ctx).messages).toHaveLength(3);
    const error = validationError(() => send({ to: Array(4).fill('89255070602') }, ctx));
    expect(error.details).toEqual([{ field: 'to', message: 'has 4 recipients, more than the 3 allowed' }]);
  });

  it('rejects a text longer than its parts can hold before counting them', () => {
    const ctx = context({ maxParts: 8 });
    expect(send({ text: 'a'.repeat(1224) }, ctx).messages[0].segments.segments).toBe(8);
    const error = validationError(() => send({ text: 'a'.repeat(1225) }, ctx));
    expect(error.details).toEqual([
      {
        field: 'text',
        message: 'is 1225 characters long, more than the 8 allowed SMS parts can hold (1224)',
      },
    ]);
  });

  it('rejects a text longer than the provider allows in parts', () => {
    const ctx = context({ maxParts: 2 });
    expect(send({ text: 'a'.repeat(306) }, ctx).messages[0].segments.segments).toBe(2);
    const error = validationError(() => send({ text: '€'.repeat(154) }, ctx));
    expect(error.details).toEqual([{ field: 'text', message: 'takes 3 SMS parts, more than the 2 allowed' }]);
    expect(fields(() => send({ text: 'я'.repeat(135) }, ctx))).toEqual(['text']);
  });

  it.each([0, 1441, -5, 1.5, Number.NaN])('rejects ttlMinutes %p', (ttlMinutes) => {
    const error = validationError(() => send({ ttlMinutes }));
    expect(error.details).toEqual([
      { field: 'ttlMinutes', message: 'must be a whole number from 1 to 1440' },
    ]);
  });

  it('accepts ttlMinutes at both ends and follows the provider range', () => {
    expect(send({ ttlMinutes: 1 }).options.ttlMinutes).toBe(1);
    expect(send({ ttlMinutes: 1440 }).options.ttlMinutes).toBe(1440);
    const pilot = context({ ttlMinutes: { min: 10, max: 1440 } });
    expect(fields(() => send({ ttlMinutes: 9 }, pilot))).toEqual(['ttlMinutes']);
    expect(send({ ttlMinutes: 10 }, pilot).options.ttlMinutes).toBe(10);
  });

  it('accepts sendAt up to a minute in the past and rejects it earlier', () => {
    expect(send({ sendAt: new Date(NOW - 59_000) }).options.sendAt).toEqual(new Date(NOW - 59_000));
    const error = validationError(() => send({ sendAt: new Date(NOW - 61_000) }));
    expect(error.details).toEqual([{ field: 'sendAt', message: 'is in the past' }]);
  });

  it("rejects sendAt beyond the provider's horizon", () => {
    const ctx = context({ maxScheduleAheadMs: 7 * DAY });
    expect(send({ sendAt: new Date(NOW + 7 * DAY) }, ctx).options.sendAt).toEqual(new Date(NOW + 7 * DAY));
    const error = validationError(() => send({ sendAt: new Date(NOW + 7 * DAY + 1000) }, ctx));
    expect(error.details).toEqual([{ field: 'sendAt', message: 'is more than 7 days ahead' }]);
    expect(send({ sendAt: new Date(NOW + 365 * DAY) }).options.sendAt).toBeInstanceOf(Date);
  });

  it('rejects a sendAt that is not a valid Date', () => {
    expect(fields(() => send({ sendAt: new Date('nope') }))).toEqual(['sendAt']);
    expect(fields(() => send({ sendAt: '2025-06-01T13:00:00Z' as unknown as Date }))).toEqual(['sendAt']);
  });

  it.each(['MyShop', 'A.b-1', 'abc', 'ABCDEFGHIJK', '123456', '79255070602', '12345678901234'])(
    'accepts the sender %j',
    (sender) => {
      expect(send({ sender }).options.sender).toBe(sender);
    },
  );

  it.each(['ab', 'ABCDEFGHIJKL', 'My Shop', 'Магазин', 'shop!', '123456789012345', ''])(
    'rejects the sender %j',
    (sender) => {
      const error = validationError(() => send({ sender }));
      expect(error.details).toEqual([
        { field: 'sender', message: 'must be 3–11 of A-Za-z0-9.- or 6–14 digits' },
      ]);
    },
  );

  it('rejects a client IP that is not an address and booleans that are not booleans', () => {
    expect(fields(() => send({ clientIp: '999.1.1.1' }))).toEqual(['clientIp']);
    expect(send({ clientIp: '2a00:1450:4010:c05::8b' }).options.clientIp).toBe('2a00:1450:4010:c05::8b');
    expect(
      fields(() => send({ test: 'yes' as unknown as boolean, daytime: 1 as unknown as boolean })),
    ).toEqual(['test', 'daytime']);
  });

  it('lists every problem at once', () => {
    const error = validationError(() =>
      send({ to: ['nope'], text: ' ', sender: 'x', ttlMinutes: 0, sendAt: new Date(NOW - DAY) }),
    );
    expect(error.details.map((d) => d.field)).toEqual(['to[0]', 'text', 'sender', 'sendAt', 'ttlMinutes']);
    expect(error.message).toContain('to[0]: is not a valid phone number');
    expect(error).toBeInstanceOf(SmsError);
  });

  it('past a bound, lists the bound problems and the options without parsing a number', () => {
    const error = validationError(() =>
      send({ to: ['nope'], text: 'a'.repeat(2000), sender: 'x' }, context({ maxParts: 8 })),
    );
    expect(error.details.map((d) => d.field)).toEqual(['text', 'sender']);
  });

  it('lists every bad number and the parts problem at once', () => {
    const ctx = context({ maxParts: 1 });
    const error = validationError(() =>
      send({ to: ['nope', '89255070602', '1'], text: 'я'.repeat(71) }, ctx),
    );
    expect(error.details).toEqual([
      { field: 'to[0]', message: 'is not a valid phone number' },
      { field: 'to[2]', message: 'is not a valid phone number' },
      { field: 'text', message: 'takes 2 SMS parts, more than the 1 allowed' },
    ]);
  });

  it('stops parsing numbers after 20 problems', () => {
    const error = validationError(() => send({ to: Array.from({ length: 5000 }, (_, i) => `x${i}`) }));
    expect(error.details).toHaveLength(21);
    expect(error.details[19]).toEqual({ field: 'to[19]', message: 'is not a valid phone number' });
    expect(error.details[20]).toEqual({
      field: 'input',
      message: 'has more problems; the first 20 are listed',
    });
  });

  it.each([
    ['a public IPv4 address', '77.88.8.8', '77.88.8.8'],
    ['a public IPv6 address, made canonical', '2A00:1450:4010:0C05:0:0:0:8B', '2a00:1450:4010:c05::8b'],
    ['an IPv4-mapped public address, as IPv4', '::ffff:77.88.8.8', '77.88.8.8'],
    ['an IPv4-mapped public address in hex, as IPv4', '::ffff:4d58:808', '77.88.8.8'],
  ])('accepts %s as clientIp', (_name, clientIp, expected) => {
    expect(send({ clientIp }).options.clientIp).toBe(expected);
  });

  it.each([
    ['10.0.0.1', 'private (10.0.0.0/8)'],
    ['172.16.0.1', 'private (172.16.0.0/12)'],
    ['172.31.255.254', 'private (172.16.0.0/12)'],
    ['192.168.1.10', 'private (192.168.0.0/16)'],
    ['127.0.0.1', 'loopback (127.0.0.0/8)'],
    ['0.0.0.0', '"this network" (0.0.0.0/8)'],
    ['100.64.0.1', 'carrier-grade NAT (100.64.0.0/10)'],
    ['100.127.255.254', 'carrier-grade NAT (100.64.0.0/10)'],
    ['169.254.1.1', 'link-local (169.254.0.0/16)'],
    ['224.0.0.1', 'multicast (224.0.0.0/4)'],
    ['239.255.255.250', 'multicast (224.0.0.0/4)'],
    ['240.0.0.1', 'reserved or broadcast (240.0.0.0/4)'],
    ['255.255.255.255', 'reserved or broadcast (240.0.0.0/4)'],
    ['192.0.0.9', 'IETF protocol assignments (192.0.0.0/24)'],
    ['192.0.2.1', 'documentation (192.0.2.0/24)'],
    ['198.51.100.7', 'documentation (198.51.100.0/24)'],
    ['203.0.113.7', 'documentation (203.0.113.0/24)'],
    ['198.18.0.1', 'benchmarking (198.18.0.0/15)'],
    ['192.88.99.1', '6to4 relay anycast (192.88.99.0/24)'],
    ['::1', 'loopback (::1)'],
    ['::', 'unspecified (::)'],
    ['fc00::1', 'unique local (fc00::/7)'],
    ['fd12:3456:789a::1', 'unique local (fc00::/7)'],
    ['fe80::1', 'link-local (fe80::/10)'],
    ['febf::1', 'link-local (fe80::/10)'],
    ['ff02::1', 'multicast (ff00::/8)'],
    ['::ffff:10.1.2.3', 'private (10.0.0.0/8)'],
    ['::ffff:7f00:1', 'loopback (127.0.0.0/8)'],
    ['::ffff:192.168.0.1', 'private (192.168.0.0/16)'],
    ['64:ff9b::a00:1', 'NAT64 (64:ff9b::/96)'],
    ['2001:db8::1', 'documentation (2001:db8::/32)'],
    ['3fff::1', 'documentation (3fff::/20)'],
    ['2001::1', 'IETF protocol assignments, Teredo included (2001::/23)'],
    ['2002:c000:204::1', '6to4 (2002::/16)'],
    ['100::1', 'an unallocated or special block outside global unicast (2000::/3)'],
    ['::a01:203', 'an unallocated or special block outside global unicast (2000::/3)'],
  ])('rejects the clientIp %s: %s', (clientIp, what) => {
    expect(validationError(() => send({ clientIp })).details).toEqual([
      { field: 'clientIp', message: `must be a public address, not ${what}` },
    ]);
  });

  it.each([
    'localhost',
    '',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '010.1.1.1',
    ' 77.88.8.8',
    '77.88.8.8/32',
    '1.2.3.4.5',
    '::ffff:999.1.1.1',
    'x'.repeat(1_000_000),
    42,
    ['77.88.8.8'],
  ])('rejects the clientIp %j as no address', (clientIp) => {
    expect(validationError(() => send({ clientIp: clientIp as string })).details).toEqual([
      { field: 'clientIp', message: 'must be an IPv4 or IPv6 address' },
    ]);
  });

  it('rejects a clientIp with a zone', () => {
    expect(validationError(() => send({ clientIp: '2a00:1450::1%eth0' })).details).toEqual([
      { field: 'clientIp', message: 'must be a public address without a zone (%…)' },
    ]);
  });

  it('rejects an input that is not an object', () => {
    expect(fields(() => normalizeSend(null as unknown as SendInput, context()))).toEqual(['input']);
  });
});

describe('normalizeBatch', () => {
  it('keeps input order, sends a repeated pair once and the same number with another text again', () => {
    const result = normalizeBatch(
      [
        { to: '+7 925 507-06-02', text: 'one' },
        { to: '89260000001', text: 'two' },
        { to: '89255070602', text: 'one' },
        { to: '79255070602', text: 'three' },
      ],
      { sender: 'MyShop' },
      context(),
    );
    expect(result.messages.map((m) => [m.to, m.text])).toEqual([
      ['79255070602', 'one'],
      ['79260000001', 'two'],
      ['79255070602', 'three'],
    ]);
    expect(result.options).toEqual({ sender: 'MyShop' });
  });

  it('past a bound, names the item of every text too long, and no number', () => {
    const error = validationError(() =>
      normalizeBatch(
        [
          { to: 'nope', text: 'ok' },
          { to: '89255070602', text: '  ' },
          { to: '89255070602', text: 'a'.repeat(2000) },
        ],
        { ttlMinutes: 5000 },
        context(),
      ),
    );
    expect(error.details.map((d) => d.field)).toEqual(['items[2].text', 'ttlMinutes']);
  });

  it('names the item of every bad number and text within the bounds', () => {
    const error = validationError(() =>
      normalizeBatch(
        [
          { to: 'nope', text: 'ok' },
          { to: '89255070602', text: '  ' },
          { to: '89255070602', text: 'я'.repeat(71) },
        ],
        {},
        context({ maxParts: 1 }),
      ),
    );
    expect(error.details).toEqual([
      { field: 'items[0].to', message: 'is not a valid phone number' },
      { field: 'items[1].text', message: 'must be a non-empty text' },
      { field: 'items[2].text', message: 'takes 2 SMS parts, more than the 1 allowed' },
    ]);
  });

  it('rejects an empty batch and more items than the provider allows', () => {
    expect(fields(() => normalizeBatch([], {}, context()))).toEqual(['items']);
    const items = Array.from({ length: 3 }, () => ({ to: '89255070602', text: 'x' }));
    expect(fields(() => normalizeBatch(items, {}, context({ maxRecipients: 2 })))).toEqual(['items']);
  });
});

describe('hostile input: O(1) bounds before any per-character or per-number work', () => {
  const eightParts = context({ maxParts: 8 });
  let segment: jest.SpyInstance;

  beforeEach(() => {
    segment = jest.spyOn(Intl.Segmenter.prototype, 'segment');
  });

  afterEach(() => segment.mockRestore());

  it('refuses 100 000 combining marks as too long in under 50 ms, without segmenting them', () => {
    const text = 'a' + '\u0301'.repeat(100_000);
    const started = performance.now();
    const error = validationError(() => send({ text }, eightParts));
    const elapsed = performance.now() - started;
    expect(error.details).toEqual([
      {
        field: 'text',
        message: 'is 100001 characters long, more than the 8 allowed SMS parts can hold (1224)',
      },
    ]);
    expect(elapsed).toBeLessThan(50);
    expect(segment).not.toHaveBeenCalled();
  });

  it('refuses a 1 MB text and 33 000 "a" + mark pairs the same way', () => {
    expect(fields(() => send({ text: 'x'.repeat(1_048_576) }, eightParts))).toEqual(['text']);
    expect(fields(() => send({ text: 'a\u0301'.repeat(33_000) }, eightParts))).toEqual(['text']);
    expect(fields(() => send({ text: ' '.repeat(1_048_576) }, eightParts))).toEqual(['text']);
    expect(segment).not.toHaveBeenCalled();
  });

  it('counts a hostile text within the bound exactly, in a few short segmentations', () => {
    const text = 'a\u0301'.repeat(612);
    expect(validationError(() => send({ text }, eightParts)).details).toEqual([
      { field: 'text', message: 'takes 19 SMS parts, more than the 8 allowed' },
    ]);
    expect(segment.mock.calls.length).toBeLessThanOrEqual(19);
    expect(Math.max(...segment.mock.calls.map(([window]) => String(window).length))).toBeLessThanOrEqual(69);
  });

  it('refuses 100 000 recipients by their count, and a long text alongside without parsing it', () => {
    const error = validationError(() =>
      send({ to: Array(100_000).fill('89255070602'), text: '\u0301'.repeat(5000) }, eightParts),
    );
    expect(error.details.map((d) => d.field)).toEqual(['to', 'text']);
    expect(error.details[0].message).toBe('has 100000 recipients, more than the 10000 allowed');
  });

  it('takes deeply nested values in to as invalid numbers, listing 20', () => {
    let deep: unknown = '89255070602';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const error = validationError(() => send({ to: Array(10_000).fill(deep) as string[] }));
    expect(error.details).toHaveLength(21);
    expect(error.details[0]).toEqual({ field: 'to[0]', message: 'is not a valid phone number' });
    expect(fields(() => send({ to: { to: deep } as unknown as string }))).toEqual(['to']);
  });

  it('refuses numbers of more than 18 digits before libphonenumber-js, listing 20', () => {
    const error = validationError(() => send({ to: Array(10_000).fill('9'.repeat(64)) }));
    expect(error.details).toHaveLength(21);
  });

  it('refuses a batch of oversized texts by their length, without segmenting them', () => {
    const items = Array.from({ length: 100 }, () => ({ to: '89255070602', text: 'a\u0301'.repeat(5000) }));
    const error = validationError(() => normalizeBatch(items, {}, eightParts));
    expect(error.details).toHaveLength(21);
    expect(error.details[0]).toEqual({
      field: 'items[0].text',
      message: 'is 10000 characters long, more than the 8 allowed SMS parts can hold (1224)',
    });
    expect(segment).not.toHaveBeenCalled();
    const many = Array(100_000).fill({ to: '89255070602', text: 'x' });
    expect(fields(() => normalizeBatch(many, {}, eightParts))).toEqual(['items']);
  });
});
