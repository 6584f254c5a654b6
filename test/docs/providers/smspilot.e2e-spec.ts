import { GUIDE_API_KEY } from './smspilot/guide-env';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  SmsError,
  SmsModule,
  SmsPilotProvider,
  SmsRuProvider,
  SmsService,
  SmsValidationError,
} from 'nestjs-sms';
import { type SmsPilotProviderConfig } from 'nestjs-sms/driver';
import { formOf, SMSPILOT_ERROR_TEXTS, SmsPilotFake } from '../../fakes/smspilot-fake.server';
import { AppModule, backup } from './smspilot/app.module';
import { smsPilot } from './smspilot/driver';
import { accountInfo, callAndAsk, checkNumber, readInbound } from './smspilot/operations';
import { announceSale } from './smspilot/send';
import { followUp } from './smspilot/status';

/** `YYYY-MM-DD HH:MM:SS` in GMT, as SMSPilot writes its times. */
function gmt(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

describe('docs/providers/smspilot.md', () => {
  let fake: SmsPilotFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  /** The guide's `backup` config (its key read from the environment), pointed at the fake. */
  async function boot(extra: Partial<SmsPilotProviderConfig> = {}): Promise<void> {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { backup: { ...backup, baseUrl: fake.url, ...extra } },
          retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 },
        }),
      ],
    }).compile();
    sms = moduleRef.get(SmsService);
  }

  beforeEach(async () => {
    fake = await SmsPilotFake.start({ apiKey: GUIDE_API_KEY });
    await boot();
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  describe('Configuration', () => {
    it('boots the AppModule with the key from the environment', async () => {
      const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
      const service = app.get(SmsService);
      expect(service.driver('backup', SmsPilotProvider)).toBeInstanceOf(SmsPilotProvider);
      expect(() => service.driver('backup', SmsRuProvider)).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED' }),
      );
      await app.close();
    });

    it('stops at start without credentials, naming the field', async () => {
      const start = Test.createTestingModule({
        imports: [SmsModule.forRoot({ providers: { backup: { ...backup, apiKey: undefined } } })],
      }).compile();
      await expect(start).rejects.toThrow(
        'SmsModule configuration: provider "backup" (smspilot): "apiKey" is required (or "login" and "password")',
      );
    });

    it('refuses an https callback URL at start', async () => {
      const start = Test.createTestingModule({
        imports: [
          SmsModule.forRoot({ providers: { backup: { ...backup, callbackUrl: 'https://example.com/sms' } } }),
        ],
      }).compile();
      await expect(start).rejects.toThrow(/"callbackUrl"/);
    });
  });

  describe('Sending', () => {
    it('posts the send to /api.php with the callback, and reads every recipient', async () => {
      const result = await announceSale(sms);
      expect(result.messages).toEqual([
        {
          to: '79021234567',
          text: 'Sale today',
          accepted: true,
          id: '10000',
          status: 'queued',
          price: 1.68,
          segments: 1,
          provider: 'backup',
        },
        expect.objectContaining({ to: '79087964781', accepted: true, id: '10001', price: 1.68 }),
      ]);
      expect(result).toMatchObject({ cost: 3.36 });

      const [request] = fake.requests;
      expect(request.url).toBe('/api.php');
      expect(formOf(request)).toEqual({
        apikey: GUIDE_API_KEY,
        send: 'Sale today',
        to: '79021234567,79087964781',
        from: 'MyShop',
        callback: 'http://example.com/sms/pilot',
        callback_method: 'post',
        format: 'json',
      });
    });

    it('reports a number SMSPilot left out as refused, not sent', async () => {
      fake.dropNumbers('79087964781');
      const result = await announceSale(sms);
      expect(result.messages[0].accepted).toBe(true);
      expect(result.messages[1]).toMatchObject({
        accepted: false,
        status: 'failed',
        error: { code: 'INVALID_PHONE', failure: 'refused', outcome: 'not_sent' },
      });
    });

    it('answers 111 (no valid number) per recipient, without throwing', async () => {
      fake.dropNumbers('79021234567', '79087964781');
      const result = await announceSale(sms);
      expect(result.messages.map((m) => [m.accepted, m.error?.code, m.error?.failure])).toEqual([
        [false, 'INVALID_PHONE', 'refused'],
        [false, 'INVALID_PHONE', 'refused'],
      ]);
    });

    it('keeps the id of an entry refused with status -2', async () => {
      fake.configureNumber('79087964781', { sendStatus: -2 });
      const result = await announceSale(sms);
      expect(result.messages[1]).toMatchObject({
        accepted: false,
        id: '10001',
        error: { code: 'VALIDATION', failure: 'refused', providerCode: -2 },
      });
    });

    it('never repeats a send answered 110, whose outcome is unknown', async () => {
      fake.failNext('110');
      const error = await announceSale(sms).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({
        code: 'UNKNOWN',
        outcome: 'unknown',
        failure: 'unknown',
        providerCode: '110',
        providerMessage: SMSPILOT_ERROR_TEXTS['110'][1],
      });
      expect(fake.requests).toHaveLength(1);
    });

    it('checks ttl, translit and daytime before any request, and keeps clientIp to itself', async () => {
      const send = { to: '79021234567', text: 'Hi', provider: 'backup' };
      await expect(sms.send({ ...send, ttlMinutes: 5 })).rejects.toBeInstanceOf(SmsValidationError);
      await expect(sms.send({ ...send, translit: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      await expect(sms.send({ ...send, daytime: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      expect(fake.requests).toHaveLength(0);
      await sms.send({ ...send, clientIp: '77.88.8.8', ttlMinutes: 10 });
      expect(fake.lastForm()).toMatchObject({ ttl: '10' });
      expect(JSON.stringify(fake.lastForm())).not.toContain('77.88.8.8');
    });

    it('sends test=1 with test: true; the emulator charges nothing', async () => {
      const before = fake.balanceKopecks;
      await sms.send({ to: '79021234567', text: 'Hi', provider: 'backup', test: true });
      expect(fake.lastForm().test).toBe('1');
      expect(fake.balanceKopecks).toBe(before);
    });
  });

  describe('Status, cost, balance', () => {
    it('reads the delivered status, a price that sends nothing, and the balance', async () => {
      fake.configureNumber('79021234567', { statuses: [2] });
      const sent = await announceSale(sms);
      const { status, cost, balance } = await followUp(sms, sent);
      expect(status).toEqual({
        id: '10000',
        provider: 'backup',
        status: 'delivered',
        final: true,
        providerStatus: 2,
        price: 1.68,
        to: '79021234567',
      });
      expect(cost).toEqual({
        provider: 'backup',
        total: 1.68,
        totalSegments: 1,
        currency: 'RUB',
        messages: [{ to: '79021234567', segments: 1, price: 1.68 }],
      });
      expect(fake.requestsOf('send').map((r) => formOf(r).cost)).toEqual([undefined, '1']);
      expect(fake.messages).toHaveLength(2);
      expect(fake.requestsOf('balance').map((r) => formOf(r).balance)).toEqual(['rur']);
      expect(balance).toBe(fake.balanceKopecks / 100);
    });

    it('reports an id SMSPilot does not know as not_found', async () => {
      await expect(sms.getStatus('99999', { provider: 'backup' })).resolves.toEqual([
        { id: '99999', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
      ]);
    });
  });

  describe("SMSPilot's own operations", () => {
    it('reaches the driver through SmsService', () => {
      expect(smsPilot(sms)).toBeInstanceOf(SmsPilotProvider);
      expect(smsPilot(sms)).toBe(sms.driver('backup'));
    });

    it('reads the account info', async () => {
      await expect(accountInfo(smsPilot(sms))).resolves.toMatchObject({
        id: 5671,
        tariffId: 5,
        email: 'info@example.com',
        phone: '79087964781',
        balance: 20008.65,
        registeredAt: new Date(Date.UTC(2010, 5, 3, 9, 45, 41)),
        defaultSender: 'INFORM',
        senders: expect.arrayContaining(['INFORM', 'test', 'MyShop']),
      });
    });

    it('reads every, the unread and the recent inbound messages, in GMT', async () => {
      const recent = fake.addInbound({
        phone: '79087964781',
        num: '79021121075',
        text: 'Yes',
        created: gmt(new Date(Date.now() - 600_000)),
        seen: '0',
      });
      const { all, unread, lastHour } = await readInbound(smsPilot(sms));
      expect(all.map((m) => m.id)).toEqual([recent.id, '6061', '6060']);
      expect(all[1]).toEqual({
        id: '6061',
        from: '79087964781',
        to: '79021121075',
        text: '51 test',
        receivedAt: new Date(Date.UTC(2014, 9, 20, 19, 11, 21)),
        seen: false,
      });
      expect(unread.map((m) => m.id)).toEqual([recent.id, '6061']);
      expect(lastHour.map((m) => [m.id, m.seen])).toEqual([[recent.id, true]]);
      expect(fake.requestsOf('inbound').map((r) => formOf(r).inbound)).toEqual([
        'all',
        'new',
        expect.stringMatching(/^\d+$/),
      ]);
    });

    it('never repeats getInbound("new") after a lost answer', async () => {
      fake.reply({ status: 502, body: 'Bad Gateway' });
      await expect(smsPilot(sms).getInbound('new')).rejects.toMatchObject({ outcome: 'unknown' });
      expect(fake.requests).toHaveLength(1);
    });

    it('asks the HLR and pings the handset', async () => {
      fake.configureNumber('79087964781', { statuses: [2] });
      const { request, hlr, ping, state } = await checkNumber(sms, smsPilot(sms));
      expect(request).toMatchObject({ accepted: true, price: 0.17 });
      expect(hlr).toMatchObject({ id: request.id, providerStatus: 2, state: 'served', final: true });
      expect([hlr.mcc, hlr.mnc, hlr.network, hlr.roaming, hlr.roamingCountry]).toEqual([
        '250',
        '20',
        'Tele2',
        false,
        undefined,
      ]);
      expect(ping.accepted).toBe(true);
      expect(state).toMatchObject({ id: ping.id, status: 'delivered', final: true });

      const [hlrSend, pingSend] = fake.requestsOf('send').map(formOf);
      expect(hlrSend).toMatchObject({ send: 'HLR', to: '79087964781' });
      expect(pingSend).toMatchObject({ send: 'PING', to: '79087964781' });
      expect(new URL(hlrSend.callback).searchParams.get('fields')).toBe('message');
      expect(hlrSend.from).toBeUndefined();
    });

    it('reports an HLR id SMSPilot does not know as failed', async () => {
      await expect(smsPilot(sms).getHlrStatus('99999')).resolves.toEqual([
        { id: '99999', providerStatus: -2, state: 'failed', final: true, roaming: false },
      ]);
    });

    it('calls with a voice, sends a 2WAY message and reads the reply', async () => {
      fake.http.setHandler((request) => {
        const reply = fake.handle(request);
        if (formOf(request).from === '2WAY') {
          fake.addInbound({
            phone: '79087964781',
            num: '79021121075',
            text: '5',
            created: gmt(new Date()),
            seen: '0',
          });
        }
        return reply;
      });
      await smsPilot(sms).getInbound('new'); // the seed's unread message, out of the way
      const { call, poll, replies } = await callAndAsk(smsPilot(sms));
      expect(call.messages).toEqual([expect.objectContaining({ to: '79087964781', accepted: true })]);
      expect(poll.messages).toEqual([expect.objectContaining({ to: '79087964781', accepted: true })]);
      expect(call).toMatchObject({ cost: 1.68 });
      expect(replies.map((m) => [m.from, m.text])).toEqual([['79087964781', '5']]);
      const [voice, twoWay] = fake.requestsOf('send').map(formOf);
      expect(voice).toMatchObject({ from: 'GOLOS', send: 'Your code is 1 2 3 4' });
      expect(twoWay).toMatchObject({ from: '2WAY', send: 'Rate us 1-5' });
    });

    it('checks its input before any request', async () => {
      const pilot = smsPilot(sms);
      await expect(pilot.sendHlr('12')).rejects.toBeInstanceOf(SmsValidationError);
      await expect(pilot.sendVoice({ to: '79087964781', text: ' ' })).rejects.toBeInstanceOf(
        SmsValidationError,
      );
      await expect(pilot.getInbound(new Date(NaN))).rejects.toBeInstanceOf(SmsValidationError);
      expect(fake.requests).toHaveLength(0);
    });
  });
});
