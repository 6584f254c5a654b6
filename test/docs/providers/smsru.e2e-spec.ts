import { ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsModule, type SmsModuleOptions, SmsRuProvider, SmsService, SmsValidationError } from 'nestjs-sms';
import { type SmsRuProviderConfig } from 'nestjs-sms/driver';
import { SMSRU_CODE_TEXTS, SmsRuFake } from '../../fakes/smsru-fake.server';
import { AppModule, smsOptions } from './smsru/app.module';
import { priceOfSale } from './smsru/cost';
import { announceShipping } from './smsru/send';
import { SmsAccountService } from './smsru/sms-account.service';
import { deliveryOf } from './smsru/status';

/** The guide's options (`smsOptions`) with the driver pointed at the fake. */
async function boot(fake: SmsRuFake, extra: Partial<SmsRuProviderConfig> = {}): Promise<TestingModule> {
  const options: SmsModuleOptions = smsOptions(new ConfigService({ SMSRU_API_ID: fake.apiId }));
  const main = { ...(options.providers.main as SmsRuProviderConfig), baseUrl: fake.url, ...extra };
  return Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        ...options,
        providers: { main, wrong: { ...main, apiId: 'not-the-api-id' } },
        retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
      }),
    ],
    providers: [SmsAccountService],
  }).compile();
}

describe('docs/providers/smsru.md', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeEach(async () => {
    fake = await SmsRuFake.start();
    fake.senders = ['MyShop'];
    moduleRef = await boot(fake);
    sms = moduleRef.get(SmsService);
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
    jest.restoreAllMocks();
  });

  describe('Configure', () => {
    afterEach(() => delete process.env.SMSRU_API_ID);

    it('boots the AppModule from SMSRU_API_ID, and stops at start without it', async () => {
      process.env.SMSRU_API_ID = 'guide-api-id';
      const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
      expect(app.get(SmsService).driver('main', SmsRuProvider)).toBeInstanceOf(SmsRuProvider);
      await app.close();

      delete process.env.SMSRU_API_ID;
      await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
        /SMSRU_API_ID/,
      );
    });

    it('names the field of a config that cannot work', async () => {
      const start = Test.createTestingModule({
        imports: [SmsModule.forRoot({ providers: { main: { driver: 'smsru', sender: 'MyShop' } } })],
      }).compile();
      await expect(start).rejects.toThrow(
        'provider "main" (smsru): "apiId" is required (or "login" and "password")',
      );
    });

    it('posts to <method>?json=1 with the credentials in the body only', async () => {
      await sms.getBalance();
      const [request] = fake.requestsTo('my/balance');
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/my/balance?json=1');
      expect(request.form.get('api_id')).toBe(fake.apiId);
      expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    });

    it('keeps the credentials out of errors', async () => {
      const error = await sms.getBalance({ provider: 'wrong' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'AUTH', failure: 'account', providerCode: 200 });
      const shown = [String(error), JSON.stringify(error), (error as Error).message].join('\n');
      expect(shown).not.toContain('not-the-api-id');
    });
  });

  describe('Send', () => {
    it("passes the end user's address as ip", async () => {
      await sms.send({ to: '79255070602', text: 'Your code is 1234', clientIp: '77.88.8.8' });
      expect(fake.requestsTo('sms/send')[0].form.get('ip')).toBe('77.88.8.8');
    });

    it('maps the options onto sms/send and warns of the refused number', async () => {
      fake.recipient('74993221627', { code: 207 });
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const before = Math.floor(Date.now() / 1000);

      const result = await announceShipping(sms);

      expect(result.messages[0]).toMatchObject({ to: '79255070602', accepted: true, status: 'scheduled' });
      expect(result.messages[0].id).toMatch(/^202626-\d+$/);
      expect(result.messages[1]).toMatchObject({
        to: '74993221627',
        accepted: false,
        status: 'rejected',
        error: { code: 'NO_ROUTE', failure: 'no_route', providerCode: 207 },
      });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith('74993221627', 'NO_ROUTE', SMSRU_CODE_TEXTS[207]);

      const [send, batch] = fake.requestsTo('sms/send');
      expect(send.form.get('to')).toBe('79255070602,74993221627');
      expect(send.form.get('msg')).toBe('Your order has shipped');
      expect(send.form.get('from')).toBe('MyShop');
      expect(send.form.get('ttl')).toBe('60');
      expect(Number(send.form.get('time')) - before).toBeGreaterThanOrEqual(3600);
      expect(Number(send.form.get('time')) - before).toBeLessThan(3610);
      expect(batch.form.get('to[79255070602]')).toBe('Hello, Anna');
      expect(batch.form.get('to[74993221627]')).toBe('Hello, Boris');
      expect(batch.form.has('msg')).toBe(false);
    });

    it('splits 150 numbers into requests of 100 and answers in input order', async () => {
      const to = Array.from({ length: 150 }, (_, i) => `7925${String(1_000_000 + i)}`);
      const result = await sms.send({ to, text: 'Sale today' });
      expect(fake.requestsTo('sms/send').map((r) => fake.recipientsOf(r).length)).toEqual([100, 50]);
      expect(result.messages.map((m) => m.to)).toEqual(to);
      expect(result.messages.every((m) => m.accepted)).toBe(true);
    });

    it('sends two texts for one number as two requests', async () => {
      await sms.sendBatch([
        { to: '79255070602', text: 'First' },
        { to: '79255070602', text: 'Second' },
      ]);
      expect(fake.requestsTo('sms/send')).toHaveLength(2);
    });

    it('refuses a text of more than 8 parts before any request', async () => {
      const error = await sms.send({ to: '79255070602', text: 'x'.repeat(9 * 153) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsValidationError);
      expect(fake.requests).toHaveLength(0);
    });

    it('reports a stop-listed number as refused, not moved on', async () => {
      fake.stoplist.set('79255070602', 'asked to unsubscribe');
      const result = await sms.send({ to: '79255070602', text: 'Hello' });
      expect(result.messages[0]).toMatchObject({
        accepted: false,
        status: 'rejected',
        error: { code: 'STOP_LIST', failure: 'refused', providerCode: 209 },
      });
    });
  });

  describe('Status, cost and balance', () => {
    it('reads a delivered message', async () => {
      fake.statusSequence('202626-1000000', [103]);
      await expect(deliveryOf(sms)).resolves.toEqual({
        id: '202626-1000000',
        provider: 'main',
        status: 'delivered',
        final: true,
        providerStatus: 103,
        price: 1.5,
        providerMessage: SMSRU_CODE_TEXTS[103],
      });
    });

    it('prices a send through sms/cost with the text as msg, and reads the balance', async () => {
      fake.balance = 812.5;
      const { cost, balance } = await priceOfSale(sms);
      expect(cost).toEqual({
        provider: 'main',
        total: 3,
        totalSegments: 2,
        currency: 'RUB',
        messages: [
          { to: '79255070602', segments: 1, price: 1.5 },
          { to: '74993221627', segments: 1, price: 1.5 },
        ],
      });
      expect(fake.requestsTo('sms/cost')[0].form.get('msg')).toBe('Sale today');
      expect(balance).toBe(812.5);
    });

    it('gives a refused number its error and no price', async () => {
      fake.recipient('74993221627', { code: 207 });
      const { cost } = await priceOfSale(sms);
      expect(cost.total).toBe(1.5);
      expect(cost.messages[1]).toEqual({
        to: '74993221627',
        segments: 1,
        error: expect.objectContaining({ code: 'NO_ROUTE', failure: 'no_route' }),
      });
    });
  });

  describe('Account operations', () => {
    it('reports the auth check, limits and senders as SMS.ru answers them', async () => {
      const account = moduleRef.get(SmsAccountService);
      await expect(account.report()).resolves.toEqual({
        ok: true,
        limit: { total: 10, usedToday: 0 },
        free: { total: 5, usedToday: 0 },
        senders: ['MyShop'],
      });
      fake.senders = [];
      await expect(sms.driver('main', SmsRuProvider).getSenders()).resolves.toEqual([]);
      await expect(sms.driver('wrong', SmsRuProvider).checkAuth()).resolves.toBe(false);
    });

    it('stop-lists a number in any notation, and lists and removes it', async () => {
      const account = moduleRef.get(SmsAccountService);
      const smsru = sms.driver('main', SmsRuProvider);
      await account.unsubscribe('+7 925 507-06-02');
      const [add] = fake.requestsTo('stoplist/add');
      expect(add.form.get('stoplist_phone')).toBe('79255070602');
      expect(add.form.get('stoplist_text')).toBe('asked to unsubscribe');
      await expect(smsru.getStoplist()).resolves.toEqual([
        { phone: '79255070602', note: 'asked to unsubscribe' },
      ]);
      await smsru.removeFromStoplist('8 (925) 507-06-02');
      await expect(smsru.getStoplist()).resolves.toEqual([]);
    });

    it('registers, lists and removes a delivery callback', async () => {
      const account = moduleRef.get(SmsAccountService);
      const smsru = sms.driver('main', SmsRuProvider);
      await expect(account.subscribeToReports()).resolves.toEqual(['https://shop.example/sms/callback']);
      await expect(smsru.getCallbacks()).resolves.toEqual(['https://shop.example/sms/callback']);
      await expect(smsru.removeCallback('https://shop.example/sms/callback')).resolves.toEqual([]);
      expect(fake.callbacks).toEqual([]);
    });

    it('refuses invalid input before any request', async () => {
      const smsru = sms.driver('main', SmsRuProvider);
      await expect(smsru.addCallback('ftp://shop.example/cb')).rejects.toBeInstanceOf(SmsValidationError);
      await expect(smsru.addToStoplist('12', 'x')).rejects.toBeInstanceOf(SmsValidationError);
      await expect(smsru.addToStoplist('79255070602', ' ')).rejects.toBeInstanceOf(SmsValidationError);
      expect(fake.requests).toHaveLength(0);
    });

    it('repeats an account call whose answer was lost', async () => {
      fake.server.script({ status: 502, body: 'Bad Gateway' });
      await expect(sms.driver('main', SmsRuProvider).getLimit()).resolves.toEqual({
        total: 10,
        usedToday: 0,
      });
      expect(fake.requestsTo('my/limit')).toHaveLength(2);
    });
  });
});
