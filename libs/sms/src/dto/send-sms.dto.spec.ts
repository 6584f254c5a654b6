import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { GetBalanceDto, GetStatusDto, SendBatchDto, SendSmsDto } from './send-sms.dto';

/** Transforms a plain body as `ValidationPipe({ transform: true })` does, validates it, returns the problems. */
async function check<T extends object>(type: ClassConstructor<T>, body: object) {
  const dto = plainToInstance(type, body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, errors, messages: flatten(errors) };
}

/** Every constraint message, nested ones with their path (`items.1.to: …`). */
function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${prefix}${e.property}: ${m}`),
    ...flatten(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

describe('SendSmsDto', () => {
  it('accepts one number as a string', async () => {
    const { errors, dto } = await check(SendSmsDto, { to: '+7 925 507-06-02', text: 'Привет' });
    expect(errors).toEqual([]);
    expect(dto).toBeInstanceOf(SendSmsDto);
  });

  it('accepts a list of numbers in any common notation', async () => {
    const { errors } = await check(SendSmsDto, {
      to: ['8 925 507 06 02', '89255070602', '+447911123456'],
      text: 'Hi',
    });
    expect(errors).toEqual([]);
  });

  it.each([
    ['a bad number', { to: '12345', text: 'Hi' }, /^to: to must be a valid phone number/],
    [
      'a bad number in a list',
      { to: ['89255070602', 'nope'], text: 'Hi' },
      /^to: to\[1\] must be a valid phone number/,
    ],
    ['an empty list', { to: [], text: 'Hi' }, /^to: to must list 1 to 10000 numbers/],
    [
      'a number that is not a string',
      { to: 79255070602, text: 'Hi' },
      /^to: to must be a valid phone number/,
    ],
    ['no number', { text: 'Hi' }, /^to: /],
    ['an empty text', { to: '89255070602', text: '' }, /^text: text must not be empty/],
    ['a whitespace text', { to: '89255070602', text: ' \n ' }, /^text: text must not be empty/],
    ['no text', { to: '89255070602' }, /^text: text must be a string/],
    ['a bad sender', { to: '89255070602', text: 'Hi', sender: 'My Shop' }, /^sender: sender must be 3–11/],
    ['ttlMinutes 0', { to: '89255070602', text: 'Hi', ttlMinutes: 0 }, /^ttlMinutes: /],
    ['ttlMinutes 1441', { to: '89255070602', text: 'Hi', ttlMinutes: 1441 }, /^ttlMinutes: /],
    ['a bad sendAt', { to: '89255070602', text: 'Hi', sendAt: 'tomorrow' }, /^sendAt: /],
    [
      'a clientIp that is no address',
      { to: '89255070602', text: 'Hi', clientIp: 'localhost' },
      /^clientIp: clientIp must be an IPv4 or IPv6 address$/,
    ],
    [
      'a private clientIp',
      { to: '89255070602', text: 'Hi', clientIp: '192.168.1.10' },
      /^clientIp: clientIp must be a public address, not private \(192\.168\.0\.0\/16\)$/,
    ],
    ['a loopback IPv6 clientIp', { to: '89255070602', text: 'Hi', clientIp: '::1' }, /^clientIp: .*loopback/],
    [
      'an IPv4-mapped private clientIp',
      { to: '89255070602', text: 'Hi', clientIp: '::ffff:10.0.0.1' },
      /^clientIp: .*private/,
    ],
    [
      'a documentation clientIp',
      { to: '89255070602', text: 'Hi', clientIp: '203.0.113.7' },
      /^clientIp: .*documentation/,
    ],
    [
      'a text longer than 10 SMS parts can hold',
      { to: '89255070602', text: 'a'.repeat(1531) },
      /^text: text must be at most 1530 characters \(10 SMS parts\)$/,
    ],
    ['a string boolean', { to: '89255070602', text: 'Hi', test: 'true' }, /^test: /],
    ['an unknown field', { to: '89255070602', text: 'Hi', priority: 'high' }, /^priority: /],
  ])('rejects %s', async (_name, body, message) => {
    const { messages } = await check(SendSmsDto, body);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages).toContainEqual(expect.stringMatching(message));
  });

  it('turns an ISO sendAt into a Date and keeps every option', async () => {
    const { dto, errors } = await check(SendSmsDto, {
      to: '89255070602',
      text: 'Hi',
      sender: 'MyShop',
      sendAt: '2030-01-01T10:00:00Z',
      ttlMinutes: 60,
      test: true,
      clientIp: '77.88.8.8',
      translit: false,
      daytime: true,
      provider: 'main',
      idempotencyKey: 'order-42',
    });
    expect(errors).toEqual([]);
    expect(dto.sendAt).toEqual(new Date('2030-01-01T10:00:00Z'));
  });
});

describe('SendBatchDto', () => {
  it('accepts items with their own texts', async () => {
    const { errors, dto } = await check(SendBatchDto, {
      items: [
        { to: '89255070602', text: 'one' },
        { to: '+7 926 000-00-01', text: 'two' },
      ],
      sender: 'MyShop',
    });
    expect(errors).toEqual([]);
    expect(dto.items).toHaveLength(2);
  });

  it('names the bad item and field', async () => {
    const { messages } = await check(SendBatchDto, {
      items: [
        { to: '89255070602', text: 'one' },
        { to: 'nope', text: ' ' },
      ],
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^items\.1\.to: to must be a valid phone number/),
        expect.stringMatching(/^items\.1\.text: text must not be empty/),
      ]),
    );
    expect(messages.some((m) => m.startsWith('items.0'))).toBe(false);
  });

  it.each([
    ['no items', {}],
    ['an empty list', { items: [] }],
    ['items that are not a list', { items: { to: '89255070602', text: 'x' } }],
  ])('rejects %s', async (_name, body) => {
    const { messages } = await check(SendBatchDto, body);
    expect(messages).toContainEqual(expect.stringMatching(/^items: /));
  });
});

describe('GetStatusDto', () => {
  it('accepts a list of ids and a provider', async () => {
    const { errors } = await check(GetStatusDto, { ids: ['201-1', '201-2'], provider: 'main' });
    expect(errors).toEqual([]);
  });

  it('accepts ids comma-separated, as a query string gives them', async () => {
    const { errors, dto } = await check(GetStatusDto, { ids: '201-1,201-2' });
    expect(errors).toEqual([]);
    expect(dto.ids).toEqual(['201-1', '201-2']);
    const single = await check(GetStatusDto, { ids: '201-1' });
    expect(single.errors).toEqual([]);
    expect(single.dto.ids).toEqual(['201-1']);
  });

  it.each([
    ['no ids', {}],
    ['an empty list', { ids: [] }],
    ['an empty id', { ids: ['1', ''] }],
    ['an empty provider', { ids: ['1'], provider: '' }],
  ])('rejects %s', async (_name, body) => {
    const { errors } = await check(GetStatusDto, body);
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('GetBalanceDto', () => {
  it('takes an optional provider name', async () => {
    expect((await check(GetBalanceDto, {})).errors).toEqual([]);
    expect((await check(GetBalanceDto, { provider: 'main' })).errors).toEqual([]);
    expect((await check(GetBalanceDto, { provider: '' })).errors).not.toEqual([]);
  });
});

describe('hostile bodies: the O(1) bounds come first', () => {
  it('refuses a 1 MB text and 100 000 combining marks by their length', async () => {
    for (const text of ['x'.repeat(1_048_576), 'a' + '\u0301'.repeat(100_000), ' '.repeat(1_048_576)]) {
      const { messages } = await check(SendSmsDto, { to: '89255070602', text });
      expect(messages).toEqual(['text: text must be at most 1530 characters (10 SMS parts)']);
    }
  });

  it('refuses 100 000 recipients by their count', async () => {
    const { messages } = await check(SendSmsDto, { to: Array(100_000).fill('89255070602'), text: 'Hi' });
    expect(messages).toEqual(['to: to must list 1 to 10000 numbers']);
  });

  it('refuses deeply nested values in to as numbers', async () => {
    let deep: unknown = '89255070602';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const dto = Object.assign(new SendSmsDto(), { to: [deep, deep], text: 'Hi' });
    const errors = await validate(dto);
    expect(flatten(errors)).toEqual(['to: to[0] must be a valid phone number (such as +7 925 507-06-02)']);
  });

  it('refuses a batch of 100 000 items by their count, validating none of them', async () => {
    const items = Array.from({ length: 100_000 }, () => ({ to: 'nope', text: ' ' }));
    const { messages } = await check(SendBatchDto, { items });
    expect(messages).toEqual(['items: items must contain no more than 10000 elements']);
  });

  it('refuses 100 000 status ids by their count, as a list or comma-separated', async () => {
    const list = await check(GetStatusDto, { ids: Array(100_000).fill('') });
    expect(list.messages).toEqual(['ids: ids must contain no more than 1000 elements']);
    const joined = await check(GetStatusDto, { ids: Array(100_000).fill('1').join(',') });
    expect(joined.messages).toEqual(['ids: ids must contain no more than 1000 elements']);
    expect(joined.dto.ids).toHaveLength(1001);
  });
});
