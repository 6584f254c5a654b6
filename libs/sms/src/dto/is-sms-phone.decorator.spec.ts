import { validate } from 'class-validator';
import { IsSmsPhone, IsSmsRecipients } from './is-sms-phone.decorator';

class CallbackDto {
  @IsSmsPhone()
  phone!: unknown;
}

class KazakhCallbackDto {
  @IsSmsPhone({ defaultCountry: 'KZ' }, { message: 'bad phone' })
  phone!: unknown;
}

class ManyPhonesDto {
  @IsSmsPhone({}, { each: true })
  phones!: unknown;
}

class NotifyDto {
  @IsSmsRecipients({ max: 3 })
  to!: unknown;
}

async function messagesOf<T extends object>(
  dto: T,
  values: Partial<Record<keyof T, unknown>>,
): Promise<string[]> {
  Object.assign(dto, values);
  const errors = await validate(dto);
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('@IsSmsPhone', () => {
  it.each(['+7 925 507-06-02', '8 925 507 06 02', '89255070602', '79255070602', '+44 7911 123456'])(
    'accepts %j',
    async (phone) => {
      expect(await messagesOf(new CallbackDto(), { phone })).toEqual([]);
    },
  );

  it.each(['12345', '', 'nope', '+7 925 507 06 0', 79255070602, null, undefined, ['89255070602']])(
    'rejects %j with an explanation',
    async (phone) => {
      expect(await messagesOf(new CallbackDto(), { phone })).toEqual([
        'phone must be a valid phone number (such as +7 925 507-06-02)',
      ]);
    },
  );

  it('reads national numbers of the given default country and takes a custom message', async () => {
    expect(await messagesOf(new KazakhCallbackDto(), { phone: '8 701 123 4567' })).toEqual([]);
    expect(await messagesOf(new KazakhCallbackDto(), { phone: '12' })).toEqual(['bad phone']);
  });

  it('checks every item with { each: true }', async () => {
    expect(await messagesOf(new ManyPhonesDto(), { phones: ['89255070602', '+447911123456'] })).toEqual([]);
    expect(await messagesOf(new ManyPhonesDto(), { phones: ['89255070602', 'nope'] })).toHaveLength(1);
  });
});

describe('@IsSmsRecipients', () => {
  it('accepts one number or a list of them', async () => {
    expect(await messagesOf(new NotifyDto(), { to: '89255070602' })).toEqual([]);
    expect(
      await messagesOf(new NotifyDto(), { to: ['89255070602', '+7 926 000-00-01', '89260000002'] }),
    ).toEqual([]);
  });

  it.each([
    ['a bad number', 'nope', 'to must be a valid phone number (such as +7 925 507-06-02)'],
    [
      'a bad number in a list',
      ['89255070602', '1'],
      'to[1] must be a valid phone number (such as +7 925 507-06-02)',
    ],
    ['an empty list', [], 'to must list 1 to 3 numbers'],
    ['a list over the maximum', Array(4).fill('89255070602'), 'to must list 1 to 3 numbers'],
    [
      'a number that is not a string',
      79255070602,
      'to must be a valid phone number (such as +7 925 507-06-02)',
    ],
  ])('rejects %s', async (_name, to, message) => {
    expect(await messagesOf(new NotifyDto(), { to })).toEqual([message]);
  });
});
