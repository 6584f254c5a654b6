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
      clientIp: '203.0.113.7',
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
      clientIp: '203.0.113.7',
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

  it('rejects a text longer than the provider allows in parts', () => {
    const ctx = context({ maxParts: 2 });
    expect(send({ text: 'a'.repeat(306) }, ctx).messages[0].segments.segments).toBe(2);
    const error = validationError(() => send({ text: 'a'.repeat(307) }, ctx));
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
    expect(send({ clientIp: '2001:db8::1' }).options.clientIp).toBe('2001:db8::1');
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

  it('names the item and the field of every problem', () => {
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
    expect(error.details.map((d) => d.field)).toEqual([
      'items[0].to',
      'items[1].text',
      'items[2].text',
      'ttlMinutes',
    ]);
  });

  it('rejects an empty batch and more items than the provider allows', () => {
    expect(fields(() => normalizeBatch([], {}, context()))).toEqual(['items']);
    const items = Array.from({ length: 3 }, () => ({ to: '89255070602', text: 'x' }));
    expect(fields(() => normalizeBatch(items, {}, context({ maxRecipients: 2 })))).toEqual(['items']);
  });
});
