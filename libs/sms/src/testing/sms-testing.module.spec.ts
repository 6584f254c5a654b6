import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
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

  it('refuses to build an outbox without a memory provider', () => {
    const sms = { providers: ['main'], driver: () => ({ capabilities: ['send'] }) } as unknown as SmsService;
    expect(() => new SmsOutbox(sms)).toThrow(/needs a memory provider.*\(main\)/);
  });
});
