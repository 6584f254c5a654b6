import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { SmsError, SmsModule, SmsService, SmsValidationError } from 'nestjs-sms';
import { SMSPILOT_RECORDED, formOf } from '../fakes/smspilot-fake.server';
import { smsPilotPerTest } from './smspilot-app';

const KEY = 'pilot-key-ops-4411';
const PHONE = '79087964781';

describe('SMSPilot operations', () => {
  const bed = smsPilotPerTest(KEY);

  it('follows a message from queued to delivered with check', async () => {
    bed.fake.configureNumber(PHONE, { statuses: [1, 2] });
    const sent = await bed.sms.send({ to: PHONE, text: 'Order shipped' });
    const id = sent.messages[0].id!;

    expect((await bed.sms.getStatus(id))[0]).toMatchObject({
      id,
      status: 'sent',
      final: false,
      providerStatus: 1,
    });
    bed.fake.http.reset();
    expect(await bed.sms.getStatus([id, '999999'])).toEqual([
      { id, provider: 'backup', status: 'delivered', final: true, providerStatus: 2, price: 1.68, to: PHONE },
      { id: '999999', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
    ]);
    expect(bed.fake.requests.map((r) => formOf(r).check)).toEqual([`${id},999999`, '999999']);
  });

  it.each(['none-found', 'any-missing'] as const)(
    'a 302 for a check of many ids makes none of them final until each is asked alone (302 rule %s)',
    async (rule) => {
      bed.fake.notFoundRule = rule;
      bed.fake.configureNumber(PHONE, { statuses: [1] });
      const sent = await bed.sms.send({ to: PHONE, text: 'Known' });
      const known = sent.messages[0].id!;
      bed.fake.http.reset();
      const statuses = await bed.sms.getStatus(['31337', known, '31338']);
      expect(statuses).toEqual([
        { id: '31337', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
        expect.objectContaining({ id: known, status: 'sent', final: false, providerStatus: 1 }),
        { id: '31338', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
      ]);
      const asked = bed.fake.requests.map((r) => formOf(r).check);
      expect(asked[0]).toBe(`31337,${known},31338`);
      expect(asked.slice(1).sort()).toEqual(
        rule === 'any-missing' ? ['31337', '31338', known].sort() : ['31337', '31338'],
      );
    },
  );

  it('an id missing from a one-id answer is unknown, not final, never not_found', async () => {
    bed.fake.reply({ body: '{"check":[]}' });
    expect(await bed.sms.getStatus('4242')).toEqual([
      { id: '4242', provider: 'backup', status: 'unknown', final: false, providerStatus: 'not_listed' },
    ]);
    expect(bed.fake.requests).toHaveLength(1);
  });

  it('checks many ids in requests of at most 500', async () => {
    const numbers = Array.from({ length: 1001 }, (_, i) => `7902${String(1_000_000 + i)}`);
    const sent = await bed.sms.send({ to: numbers, text: 'Many' });
    const ids = sent.messages.map((m) => m.id!);
    bed.fake.http.reset();
    const statuses = await bed.sms.getStatus(ids);
    const sizes = bed.fake.requests.map((r) => formOf(r).check.split(',').length);
    expect(sizes.sort((a, b) => b - a)).toEqual([500, 500, 1]);
    expect(statuses.map((s) => s.id)).toEqual(ids);
    expect(statuses.every((s) => s.status === 'queued' && !s.final)).toBe(true);
  });

  it('prices a send with cost=1 without sending', async () => {
    bed.fake.configureNumber('79161231212', { price: 0.29 });
    const single = await bed.sms.getCost({ to: PHONE, text: 'Hello', sender: 'INFORM' });
    expect(bed.fake.lastForm()).toEqual({
      apikey: KEY,
      from: 'INFORM',
      cost: '1',
      send: 'Hello',
      to: PHONE,
      format: 'json',
    });
    expect(single).toEqual({
      provider: 'backup',
      total: 1.68,
      totalSegments: 1,
      currency: 'RUB',
      messages: [{ to: PHONE, segments: 1, price: 1.68 }],
    });

    const many = await bed.sms.getCost({ to: [PHONE, '79161231212'], text: 'Hello' });
    expect(many.total).toBe(1.97);
    expect(many.messages).toEqual([
      { to: PHONE, segments: 1 },
      { to: '79161231212', segments: 1 },
    ]);
    expect(bed.fake.messages).toHaveLength(0);
  });

  it('reads the balance with balance=rur', async () => {
    await expect(bed.sms.getBalance({ provider: 'backup' })).resolves.toEqual({
      provider: 'backup',
      balance: 20008.65,
      currency: 'RUB',
    });
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, balance: 'rur', format: 'json' });
    await bed.sms.send({ to: PHONE, text: 'x' });
    expect(await bed.pilot.getBalance()).toBe(20006.97);
  });

  it('reads the account info as typed values', async () => {
    const info = await bed.pilot.getInfo();
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, format: 'json' });
    expect(info).toEqual({
      id: 5671,
      tariffId: 5,
      email: 'info@example.com',
      name: 'Иванов Сергей Николаевич',
      phone: '79087964781',
      balance: 20008.65,
      registeredAt: new Date('2010-06-03T09:45:41Z'),
      defaultSender: 'INFORM',
      senders: ['79021121075', '79087964781', 'INFORM', 'test', 'MyShop'],
    });
  });

  it('reads inbound messages (all, new, since a date) with GMT times', async () => {
    const all = await bed.pilot.getInbound('all');
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, inbound: 'all', format: 'json' });
    expect(all).toEqual([
      {
        id: '6061',
        from: '79087964781',
        to: '79021121075',
        text: '51 test',
        receivedAt: new Date('2014-10-20T19:11:21Z'),
        seen: false,
      },
      {
        id: '6060',
        from: '79087964781',
        to: '79021121075',
        text: '51 test\nLine2',
        receivedAt: new Date('2014-10-20T19:10:30Z'),
        seen: true,
      },
    ]);

    expect((await bed.pilot.getInbound('new')).map((m) => m.id)).toEqual(['6061']);
    expect(await bed.pilot.getInbound('new')).toEqual([]);

    bed.fake.addInbound({
      phone: '79161231212',
      num: '79021121075',
      text: 'Yes',
      created: '2024-05-01 10:00:00',
      seen: '0',
    });
    const since = new Date('2024-05-01T09:59:00Z');
    const recent = await bed.pilot.getInbound(since);
    expect(bed.fake.lastForm().inbound).toBe(String(since.getTime() / 1000));
    expect(recent).toEqual([
      {
        id: '6062',
        from: '79161231212',
        to: '79021121075',
        text: 'Yes',
        receivedAt: new Date('2024-05-01T10:00:00Z'),
        seen: false,
      },
    ]);
  });

  it('does not repeat inbound=new after a lost answer (it marks messages read)', async () => {
    bed.fake.reply({ status: 502, body: 'Bad gateway' });
    await expect(bed.pilot.getInbound('new')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(bed.fake.requests).toHaveLength(1);
    bed.fake.reply({ status: 502, body: 'Bad gateway' });
    await expect(bed.pilot.getInbound('all')).resolves.toHaveLength(2);
    expect(bed.fake.requests).toHaveLength(3);
  });

  it('sends an HLR request and reads a typed result', async () => {
    bed.fake.configureNumber(PHONE, { statuses: [2], hlr: { rcn: 'Finland', rnet: 'Elisa' } });
    const request = await bed.pilot.sendHlr('+7 (908) 796-47-81');
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, send: 'HLR', to: PHONE, format: 'json' });
    expect(request).toMatchObject({ to: PHONE, text: 'HLR', accepted: true, id: '10000', price: 0.17 });

    const [result] = await bed.pilot.getHlrStatus(request.id!);
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, check: '10000', format: 'json' });
    expect(result).toEqual({
      id: '10000',
      phone: PHONE,
      price: 0.17,
      providerStatus: 2,
      state: 'served',
      final: true,
      imsi: '250203122060176',
      msc: '790434',
      mcc: '250',
      mnc: '20',
      country: 'Russia',
      network: 'Tele2',
      roaming: true,
      roamingCountry: 'Finland',
      roamingNetwork: 'Elisa',
    });
  });

  it('reads the seed HLR example without roaming', async () => {
    const request = await bed.pilot.sendHlr(PHONE);
    const [result] = await bed.pilot.getHlrStatus([request.id!]);
    expect(result).toMatchObject({
      state: 'served',
      mcc: '250',
      mnc: '20',
      network: 'Tele2',
      roaming: false,
    });
    expect(result.roamingCountry).toBeUndefined();
  });

  it('sends a PING and reads its status', async () => {
    bed.fake.configureNumber(PHONE, { statuses: [-1] });
    const ping = await bed.pilot.sendPing(PHONE);
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, send: 'PING', to: PHONE, format: 'json' });
    expect(ping).toMatchObject({ accepted: true, id: '10000' });
    expect((await bed.sms.getStatus(ping.id!))[0]).toMatchObject({ status: 'undelivered', final: true });
  });

  it('asks for fields=message in the callback of HLR and PING requests only, so that their callbacks tell', async () => {
    const callbackUrl = 'http://shop.example/sms/webhooks/backup/Tk7-wq2Lx9_ZpR4mVb8n?fields=country';
    await bed.reboot({ callbackUrl });
    await bed.pilot.sendHlr(PHONE);
    const hlr = new URL(bed.fake.lastForm().callback);
    expect(hlr.origin + hlr.pathname).toBe('http://shop.example/sms/webhooks/backup/Tk7-wq2Lx9_ZpR4mVb8n');
    expect(hlr.searchParams.get('fields')).toBe('country,message');
    await bed.pilot.sendPing(PHONE);
    expect(new URL(bed.fake.lastForm().callback).searchParams.get('fields')).toBe('country,message');
    await bed.sms.send({ to: PHONE, text: 'An SMS' });
    expect(bed.fake.lastForm().callback).toBe(callbackUrl);
  });

  it('sends a voice message with from=GOLOS', async () => {
    const result = await bed.pilot.sendVoice({
      to: ['8 908 796 47 81', '+79161231212'],
      text: 'Ваш код 1234',
    });
    expect(bed.fake.lastForm()).toEqual({
      apikey: KEY,
      send: 'Ваш код 1234',
      to: `${PHONE},79161231212`,
      from: 'GOLOS',
      format: 'json',
    });
    expect(result).toMatchObject({ cost: 3.36, balance: 20005.29 });
    expect(result.messages.map((m) => [m.to, m.accepted, m.id])).toEqual([
      [PHONE, true, '10000'],
      ['79161231212', true, '10001'],
    ]);
  });

  it('sends a 2WAY message with from=2WAY and reads the reply from inbound', async () => {
    const result = await bed.pilot.sendTwoWay({ to: PHONE, text: 'Rate us 1-5', test: true });
    expect(bed.fake.lastForm()).toEqual({
      apikey: KEY,
      send: 'Rate us 1-5',
      to: PHONE,
      from: '2WAY',
      test: '1',
      format: 'json',
    });
    expect(result.messages).toEqual([
      {
        to: PHONE,
        text: 'Rate us 1-5',
        accepted: true,
        id: '10000',
        status: 'queued',
        segments: 1,
        price: 1.68,
      },
    ]);
    bed.fake.addInbound({
      phone: PHONE,
      num: '79021121075',
      text: '5',
      created: '2030-01-01 00:00:00',
      seen: '0',
    });
    expect((await bed.pilot.getInbound('new')).map((m) => m.text)).toEqual(['5', '51 test']);
  });

  it('refuses bad input of its own operations before any request', async () => {
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => bed.pilot.sendHlr('12'), 'phone'],
      [() => bed.pilot.sendPing(undefined as unknown as string), 'phone'],
      [() => bed.pilot.sendVoice({ to: PHONE, text: '  ' }), 'text'],
      [() => bed.pilot.sendVoice({ to: [], text: 'x' }), 'to'],
      [() => bed.pilot.sendTwoWay({ to: [PHONE, 'abc'], text: 'x' }), 'to[1]'],
      [() => bed.pilot.sendTwoWay({ to: PHONE, text: 'x', test: 'yes' as unknown as boolean }), 'test'],
      [() => bed.pilot.getInbound('old' as 'all'), 'filter'],
      [() => bed.pilot.getInbound(new Date('nope')), 'filter'],
      [() => bed.pilot.getHlrStatus([]), 'ids'],
      [() => bed.pilot.getHlrStatus(['1', ' ']), 'ids[1]'],
    ];
    for (const [call, field] of cases) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsValidationError);
      expect((err as SmsValidationError).details.map((d) => d.field)).toContain(field);
      expect(err).toMatchObject({ provider: 'backup', code: 'VALIDATION' });
    }
    expect(bed.fake.requests).toHaveLength(0);
  });

  describe('answers that are not the API', () => {
    const secretFree = (err: unknown) => {
      expect(err).toBeInstanceOf(SmsError);
      for (const text of [(err as Error).message, String(err), JSON.stringify(err), inspect(err)]) {
        expect(text).not.toContain(KEY);
      }
    };

    it.each([
      ['HTML', '<html>maintenance, key pilot-key-ops-4411</html>'],
      ['the text format', SMSPILOT_RECORDED.sendText],
      ['a JSON list', '[]'],
      ['no send list', '{"balance":"1.00","cost":"1.68"}'],
      ['an entry without server_id', '{"send":[{"phone":"79087964781","price":"1.68","status":"0"}]}'],
      [
        'a price that is not a number',
        '{"send":[{"server_id":"1","phone":"79087964781","price":"a lot","status":"0"}]}',
      ],
      [
        'a status that is not a number',
        '{"send":[{"server_id":"1","phone":"79087964781","price":"1","status":"new"}]}',
      ],
      ['an error without code', '{"error":{"description":"APIKEY pilot-key-ops-4411 is invalid"}}'],
      ['empty body', ''],
    ])('a send answered with %s is BAD_RESPONSE, outcome unknown, without the key', async (_, body) => {
      bed.fake.reply({ body });
      const err = await bed.sms.send({ to: PHONE, text: 'x' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown', provider: 'backup' });
      secretFree(err);
      expect(bed.fake.requests).toHaveLength(1);
    });

    it.each([
      ['balance', () => bed.pilot.getBalance(), '{"balance":"unknown"}'],
      [
        'info',
        () => bed.pilot.getInfo(),
        '{"id":"5671","tariff_id":"5","email":"a@b.c","balance":"1","date":"yesterday"}',
      ],
      [
        'inbound',
        () => bed.pilot.getInbound('all'),
        '{"inbound":[{"id":"1","phone":"7","num":"7","text":"t","created":"2014-10-20 19:11:21","seen":"maybe"}]}',
      ],
      ['status', () => bed.pilot.getStatus(['1']), '{"check":{"server_id":"1"}}'],
      [
        'the seed HLR example (not valid JSON)',
        () => bed.pilot.getHlrStatus('4566'),
        '{"check":[{"server_id":"4566","phone":"79131437355","price":"0.17","status":"2","rcn"="","rnet"=""},]}',
      ],
      ['cost', () => bed.sms.getCost({ to: PHONE, text: 'x' }), '{"cost":""}'],
    ])('%s: an answer of the wrong shape is BAD_RESPONSE without the key', async (_, call, body) => {
      bed.fake.reply({ body });
      const err = await call().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_RESPONSE', provider: 'backup' });
      secretFree(err);
    });

    it('keeps the key out of an error whose provider text echoes it', async () => {
      bed.fake.reply({
        body: JSON.stringify({ error: { code: '101', description: `APIKEY ${KEY} is invalid` } }),
      });
      const err = await bed.pilot.getBalance().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'AUTH', providerCode: '101' });
      expect((err as SmsError).providerMessage).toContain('[redacted]');
      secretFree(err);
    });

    it('answers the recorded error body for a wrong key', async () => {
      await bed.app.close();
      bed.app = await Test.createTestingModule({
        imports: [
          SmsModule.forRoot({
            providers: { backup: { driver: 'smspilot', apiKey: 'wrong-key-1', baseUrl: bed.fake.url } },
          }),
        ],
      }).compile();
      const err = await bed.app
        .get(SmsService)
        .getBalance()
        .catch((e: unknown) => e);
      expect(bed.fake.lastAnswer).toBe(SMSPILOT_RECORDED.errorJson);
      expect(err).toMatchObject({
        code: 'AUTH',
        providerCode: '101',
        providerMessage: 'Неправильный API-ключ (см. настройки API в личном кабинете)',
      });
    });
  });
});
