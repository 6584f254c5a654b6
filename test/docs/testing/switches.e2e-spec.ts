import { Test, type TestingModule } from '@nestjs/testing';
import { MemoryProvider, SmsError, SmsModule, SmsService } from 'nestjs-sms';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';

describe('docs/testing.md: options, outbox and switches', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let outbox: SmsOutbox;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        // #region options
        SmsTestingModule.forRoot({
          providers: { main: { sender: 'MyShop' }, backup: {} },
          failover: ['main', 'backup'],
          antiFlood: { perNumber: [{ max: 1, windowMs: 60_000 }] },
        }),
        // #endregion options
      ],
    }).compile();
    sms = moduleRef.get(SmsService);
    outbox = moduleRef.get(SmsOutbox);
  });
  afterEach(() => moduleRef.close());

  it('takes the options of SmsModule: the sender, failover and anti-flood hold', async () => {
    await sms.send({ to: '+79255070602', text: 'one' });
    expect(outbox.last()).toMatchObject({ provider: 'main', sender: 'MyShop' });
    await expect(sms.send({ to: '+79255070602', text: 'two' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    outbox.outage({ provider: 'main' });
    await sms.send({ to: '+79255070603', text: 'three' });
    expect(outbox.from('backup')).toHaveLength(1);
  });

  it('shows what was sent', async () => {
    await sms.send({ to: '+79255070602', text: 'Your order has shipped' });
    await sms.send({ to: '+79255070603', text: 'Your order has arrived' });
    await sms.send({
      to: '+79255070604',
      text: 'Ваш заказ прибыл в пункт выдачи, заберите его в течение недели',
    });
    // #region outbox
    expect(outbox.last()).toMatchObject({ to: '79255070604', encoding: 'UCS-2', segments: 1 });
    expect(outbox.texts().slice(0, 2)).toEqual(['Your order has shipped', 'Your order has arrived']);
    // #endregion outbox
  });

  it('turns each switch on in one line', async () => {
    // #region switches
    outbox.refuse('INSUFFICIENT_FUNDS');
    outbox.refuse('RATE_LIMITED', { retryAfterSeconds: 30, times: 1 });
    outbox.refuse('AUTH', { on: ['send', 'balance'] });
    outbox.failRecipient('8 916 123-45-67', 'NO_ROUTE');
    outbox.outage({ provider: 'main' });
    outbox.timeout({ times: 1 });
    outbox.delay(500);
    // #endregion switches
    const error = await sms.send({ to: '+79255070602', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', outcome: 'not_sent' });
    outbox.reset();
    await expect(sms.send({ to: '+79255070609', text: 'hi' })).resolves.toBeDefined();
  });
});

describe('docs/testing.md: the switches without the testing module', () => {
  it('reaches the memory driver of an application that configures one', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } }, retry: false })],
    }).compile();
    const sms = moduleRef.get(SmsService);
    // #region memory
    const memory = sms.driver('dev', MemoryProvider);
    memory.simulate.outage({ times: 1 });
    memory.outbox.last();
    // #endregion memory
    await expect(sms.send({ to: '+79255070602', text: 'hi' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await sms.send({ to: '+79255070602', text: 'hi' });
    expect(memory.outbox.last()).toMatchObject({ to: '79255070602' });
    await moduleRef.close();
  });
});
