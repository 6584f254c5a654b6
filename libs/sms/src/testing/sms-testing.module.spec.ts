import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type SmsError } from '../errors';
import { type SendResult } from '../interfaces';
import { SmsModule } from '../sms.module';
import { SmsService } from '../sms.service';
import { SmsOutbox } from './sms-outbox';
import { SmsTestingModule } from './sms-testing.module';

@Injectable()
class Notifier {
  constructor(readonly sms: SmsService) {}
  notify(phone: string) {
    return this.sms.send({ to: phone, text: 'Your parcel has arrived' });
  }
}

@Module({ providers: [Notifier], exports: [Notifier] })
class NotifierModule {}

@Module({
  imports: [
    SmsModule.forRoot({ providers: { main: { driver: 'memory', sender: 'Shop' } }, isGlobal: true }),
    NotifierModule,
  ],
})
class ShopModule {}

describe('SmsTestingModule', () => {
  it('registers SmsService globally: a feature module that does not import SmsModule gets it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot(), NotifierModule],
    }).compile();
    const result = await moduleRef.get(Notifier).notify('+7 925 507-06-02');
    const outbox = moduleRef.get(SmsOutbox);
    expect(result.provider).toBe('memory');
    expect(outbox.last()).toMatchObject({ id: result.messages[0].id, to: '79255070602', provider: 'memory' });
    await moduleRef.close();
  });

  it('with isGlobal: false, exports SmsService and SmsOutbox to the importing module only', async () => {
    @Module({ imports: [SmsTestingModule.forRoot({ isGlobal: false })], providers: [Notifier] })
    class LocalModule {}
    const moduleRef = await Test.createTestingModule({ imports: [LocalModule] }).compile();
    await moduleRef.get(Notifier).notify('89255070602');
    expect(moduleRef.get(SmsOutbox).to('+79255070602')).toHaveLength(1);
    await expect(
      Test.createTestingModule({
        imports: [SmsTestingModule.forRoot({ isGlobal: false }), NotifierModule],
      }).compile(),
    ).rejects.toThrow(/SmsService/);
    await moduleRef.close();
  });

  it('names the providers the application uses, with their memory options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsTestingModule.forRoot({
          providers: { main: { sender: 'Shop' }, backup: {} },
          failover: ['main', 'backup'],
        }),
      ],
    }).compile();
    const sms = moduleRef.get(SmsService);
    const outbox = moduleRef.get(SmsOutbox);
    expect(sms.providers).toEqual(['main', 'backup']);
    expect(outbox.providers).toEqual(['main', 'backup']);
    await sms.send({ to: '+79255070602', text: 'hi' });
    expect(outbox.last()).toMatchObject({ provider: 'main', sender: 'Shop' });
    await moduleRef.close();
  });

  it('overrides the options of an application that registers SmsModule itself', async () => {
    const moduleRef = await SmsTestingModule.override(Test.createTestingModule({ imports: [ShopModule] }), {
      providers: { main: { sender: 'TestShop' } },
    }).compile();
    await moduleRef.get(Notifier).notify('+79255070602');
    const outbox = SmsOutbox.from(moduleRef);
    expect(outbox.last()).toMatchObject({
      provider: 'main',
      sender: 'TestShop',
      text: 'Your parcel has arrived',
    });
    await moduleRef.close();
  });

  describe("simulated failures take a real provider's route (main → backup)", () => {
    let sms: SmsService;
    let outbox: SmsOutbox;
    let close: () => Promise<void>;
    beforeEach(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [SmsTestingModule.forRoot({ providers: ['main', 'backup'], failover: ['main', 'backup'] })],
      }).compile();
      sms = moduleRef.get(SmsService);
      outbox = moduleRef.get(SmsOutbox);
      close = () => moduleRef.close();
    });
    afterEach(() => close());

    const attempt = () => sms.send({ to: '+79255070602', text: 'hi' }).catch((e: unknown) => e as SmsError);

    it.each([
      ['RATE_LIMITED', 'refused'],
      ['STOP_LIST', 'refused'],
      ['LIMIT_EXCEEDED', 'refused'],
    ] as const)('refuse(%s): class %s, not failed over', async (code, failure) => {
      outbox.refuse(code, { provider: 'main', retryAfterSeconds: 60 });
      const error = await attempt();
      expect(error).toMatchObject({ code, failure, outcome: 'not_sent', retryable: false });
      expect(outbox.from('backup')).toHaveLength(0);
    });

    it.each([
      ['AUTH', 'account'],
      ['INSUFFICIENT_FUNDS', 'account'],
      ['UNAVAILABLE', 'unavailable'],
    ] as const)('refuse(%s): class %s, failed over', async (code, failure) => {
      outbox.refuse(code, { provider: 'main' });
      const result = (await attempt()) as SendResult;
      expect(result.provider).toBe('backup');
      expect(result.attempts[0].error).toMatchObject({ code, failure });
      expect(outbox.from('backup')).toHaveLength(1);
    });

    it('outage: unavailable, failed over', async () => {
      outbox.outage({ provider: 'main' });
      const result = (await attempt()) as SendResult;
      expect(result.provider).toBe('backup');
      expect(result.attempts[0].error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable' });
    });

    it('timeout: unknown, not failed over, the message in the first outbox only', async () => {
      outbox.timeout({ provider: 'main' });
      const error = await attempt();
      expect(error).toMatchObject({ code: 'TIMEOUT', failure: 'unknown', outcome: 'unknown' });
      expect(outbox.from('main')).toHaveLength(1);
      expect(outbox.from('backup')).toHaveLength(0);
    });
  });

  it('refuses to build an outbox without a memory provider', () => {
    const sms = { providers: ['main'], driver: () => ({ capabilities: ['send'] }) } as unknown as SmsService;
    expect(() => new SmsOutbox(sms)).toThrow(/needs a memory provider.*\(main\)/);
  });
});
