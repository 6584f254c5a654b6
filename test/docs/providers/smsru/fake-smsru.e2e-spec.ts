import { Test, type TestingModule } from '@nestjs/testing';
import { SmsModule, SmsService } from 'nestjs-sms';
import { SmsRuFake } from '../../../fakes/smsru-fake.server';

describe('SmsService against a fake SMS.ru', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    fake = await SmsRuFake.start();
    fake.recipient('79255070602', { code: 207 }); // this number: no route
    fake.failRequests('sms/send', 220, 1); // the next send: temporarily unavailable
    fake.statusSequence('202626-1000000', [100, 102, 103]);
    fake.balance = 5;

    moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { main: fake.providerConfig() } })],
    }).compile();
  });
  afterAll(async () => {
    await moduleRef.close();
    await fake.close();
  });

  it('repeats the 220, then reports the number without a route', async () => {
    const sms = moduleRef.get(SmsService);
    const result = await sms.send({ to: ['79255070602', '74993221627'], text: 'Hello' });
    expect(fake.requestsTo('sms/send')).toHaveLength(2);
    expect(result.messages.map((m) => [m.to, m.accepted, m.error?.code])).toEqual([
      ['79255070602', false, 'NO_ROUTE'],
      ['74993221627', true, undefined],
    ]);
  });

  it('reports the staged statuses and balance', async () => {
    const sms = moduleRef.get(SmsService);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await sms.getStatus('202626-1000000'))[0].status);
    expect(statuses).toEqual(['queued', 'sent', 'delivered']);
    expect((await sms.getBalance()).balance).toBe(3.5);
  });
});
