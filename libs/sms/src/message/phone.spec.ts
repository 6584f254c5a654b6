import { maskPhone, normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    '+7 (925) 507-06-02',
    '8 925 507 06 02',
    '89255070602',
    '79255070602',
    '+79255070602',
    '9255070602',
    '8-925-507-06-02',
    '8(925)5070602',
    '7 925 507 06 02',
    '  +7 925 507-06-02  ',
    '＋７ ９２５ ５０７ ０６ ０２',
  ])('reads %j as 79255070602 (default country RU)', (input) => {
    expect(normalizePhone(input)).toBe('79255070602');
  });

  it.each([
    ['+44 7911 123456', 'RU', '447911123456'],
    ['447911123456', 'RU', '447911123456'],
    ['07911 123456', 'GB', '447911123456'],
    ['+1 (415) 555-2671', 'RU', '14155552671'],
    ['+49 30 1234567', 'RU', '49301234567'],
    ['030 1234567', 'DE', '49301234567'],
    ['+375 29 123 45 67', 'RU', '375291234567'],
    ['375291234567', 'RU', '375291234567'],
    ['8 701 123 4567', 'KZ', '77011234567'],
    ['+7 701 123 4567', 'RU', '77011234567'],
  ] as const)('reads %j with default country %s as %s', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    '123',
    '112',
    '0',
    '+',
    '+7 925 507 06 0',
    '892550706021',
    '+7 000 000 00 00',
    '+999 123456789',
    '+0 925 5070602',
    '79255070602x',
    'x79255070602',
    'tel:+79255070602',
    'call +79255070602',
    '+7 925 507 06 02 ext 5',
    '+7 925 507 06 02; +7 926 000 00 00',
    '1'.repeat(70),
    '7'.repeat(19),
    '+7 925 507-06-02 0000000',
    '８'.repeat(19),
  ])('rejects %j', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it('reads a number written with an international call prefix', () => {
    expect(normalizePhone('810 44 7911 123456')).toBe('447911123456');
    expect(normalizePhone('00 44 7911 123456', 'DE')).toBe('447911123456');
  });

  it('rejects a national number of another country under the default RU', () => {
    expect(normalizePhone('07911 123456')).toBeUndefined();
    expect(normalizePhone('9255070602', 'GB')).toBeUndefined();
  });

  it('rejects what is not a string', () => {
    expect(normalizePhone(undefined as unknown as string)).toBeUndefined();
    expect(normalizePhone(79255070602 as unknown as string)).toBeUndefined();
    expect(normalizePhone(null as unknown as string)).toBeUndefined();
  });
});

describe('maskPhone', () => {
  it('keeps the first four and the last four digits', () => {
    expect(maskPhone('79255070602')).toBe('7925***0602');
  });

  it('masks a short number entirely', () => {
    expect(maskPhone('1234567')).toBe('*******');
  });
});
