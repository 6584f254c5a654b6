import {
  SmsPilotAnswerError,
  parseAnswer,
  readAccountInfo,
  readCheckAnswer,
  readError,
  readInbound,
  readSendAnswer,
} from './smspilot.answers';

const inbound = (created: string, seen = '0') => ({
  inbound: [{ id: '1', phone: '+7 908 796-47-81', num: '79021121075', text: 'hi', created, seen }],
});

describe('SMSPilot answer readers', () => {
  it('converts the strings of a send answer to numbers', () => {
    const answer = parseAnswer(
      '\uFEFF{"send":[{"server_id":"9316849","phone":"79087964781","price":"1.31","status":"-2"}],"balance":"-5.50","cost":"1.31"}',
    );
    expect(readSendAnswer(answer)).toEqual({
      entries: [{ serverId: '9316849', phone: '79087964781', price: 1.31, status: -2, hlr: {} }],
      balance: -5.5,
      cost: 1.31,
    });
  });

  it('takes JSON numbers as well as strings, and leaves out empty HLR fields', () => {
    const [entry] = readCheckAnswer({
      check: [
        { server_id: 4566, phone: '79131437355', price: 0.17, status: 2, imsi: '250', rcn: '', rnet: null },
      ],
    });
    expect(entry).toEqual({
      serverId: '4566',
      phone: '79131437355',
      price: 0.17,
      status: 2,
      hlr: { imsi: '250' },
    });
  });

  it.each([
    ['a price with a comma', { send: [{ server_id: '1', phone: '7', price: '1,5', status: '0' }] }],
    ['a fractional status', { send: [{ server_id: '1', phone: '7', price: '1', status: '0.5' }] }],
    ['an empty server_id', { send: [{ server_id: ' ', phone: '7', price: '1', status: '0' }] }],
    ['a cost that is not a number', { send: [], cost: 'free' }],
    ['send as an object', { send: {} }],
  ])('refuses %s', (_, answer) => {
    expect(() => readSendAnswer(answer)).toThrow(SmsPilotAnswerError);
  });

  it('reads an error and refuses one without a numeric code', () => {
    expect(
      readError({ error: { code: '111', description: 'Invalid phone', description_ru: 'Неправильный' } }),
    ).toEqual({
      code: '111',
      description: 'Invalid phone',
      descriptionRu: 'Неправильный',
    });
    expect(readError({ send: [] })).toBeUndefined();
    expect(() => readError({ error: 'Invalid phone' })).toThrow(SmsPilotAnswerError);
    expect(() => readError({ error: { code: 'E111' } })).toThrow(SmsPilotAnswerError);
  });

  it('reads SMSPilot times as GMT and refuses impossible dates', () => {
    expect(readInbound(inbound('2014-10-20 19:11:21'))[0]).toEqual({
      id: '1',
      from: '79087964781',
      to: '79021121075',
      text: 'hi',
      receivedAt: new Date('2014-10-20T19:11:21Z'),
      seen: false,
    });
    for (const created of ['2014-02-30 10:00:00', '2014-10-20 24:00:00', '2014-10-20T19:11:21Z', '']) {
      expect(() => readInbound(inbound(created))).toThrow(SmsPilotAnswerError);
    }
    expect(() => readInbound(inbound('2014-10-20 19:11:21', '2'))).toThrow(SmsPilotAnswerError);
  });

  it('reads account info with an empty sender list', () => {
    const info = readAccountInfo({
      id: '5671',
      tariff_id: '5',
      email: ' info@example.com ',
      name: ' Иванов ',
      phone: '79087964781',
      balance: '0.00',
      date: '2010-06-03 09:45:41',
      default_sender: '',
      senders: '',
    });
    expect(info).toEqual({
      id: 5671,
      tariffId: 5,
      email: 'info@example.com',
      name: 'Иванов',
      phone: '79087964781',
      balance: 0,
      registeredAt: new Date('2010-06-03T09:45:41Z'),
      senders: [],
    });
  });

  it.each(['', 'SUCCESS=SMS SENT', '[1]', 'null', '"text"'])('refuses the body %j', (body) => {
    expect(() => parseAnswer(body)).toThrow(SmsPilotAnswerError);
  });
});
