import { Test, type TestingModule } from '@nestjs/testing';
import { SmsService } from '../sms.service';
import { SmsOutbox } from './sms-outbox';
import { SmsTestingModule } from './sms-testing.module';

describe('SmsOutbox', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let outbox: SmsOutbox;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot({ providers: ['main', 'backup'], failover: ['main', 'backup'] })],
    }).compile();
    sms = moduleRef.get(SmsService);
    outbox = moduleRef.get(SmsOutbox);
  });
  afterEach(() => moduleRef.close());

  it('gathers the messages of every memory provider, oldest first', async () => {
    await sms.send({ to: '+79255070602', text: 'one' });
    await sms.send({ to: '+79161234567', text: 'two', provider: 'backup' });
    expect(outbox.texts()).toEqual(['one', 'two']);
    expect(outbox.size).toBe(2);
    expect(outbox.last()?.provider).toBe('backup');
    expect(outbox.from('main').map((m) => m.text)).toEqual(['one']);
    expect(outbox.find(outbox.last()!.id)?.text).toBe('two');
    outbox.clear();
    expect(outbox.messages).toEqual([]);
  });

  it('waitFor resolves with a message already kept or one that arrives later', async () => {
    await sms.send({ to: '+79255070602', text: 'early' });
    await expect(outbox.waitFor('8 925 507 06 02')).resolves.toMatchObject({ text: 'early' });
    const later = outbox.waitFor((m) => m.text === 'late', 1000);
    setTimeout(() => void sms.send({ to: '+79161234567', text: 'late' }), 20);
    await expect(later).resolves.toMatchObject({ to: '79161234567' });
  });

  it('waitFor says what the outbox holds when nothing matches in time', async () => {
    await sms.send({ to: '+79255070602', text: 'hello' });
    await expect(outbox.waitFor('+79161234567', 50)).rejects.toThrow(
      /no matching message within 50 ms; the outbox holds 1: 79255070602: "hello"/,
    );
  });

  it('aims a switch at one provider, so failover can be tested', async () => {
    outbox.outage({ provider: 'main' });
    const result = await sms.send({ to: '+79255070602', text: 'via backup' });
    expect(result.provider).toBe('backup');
    expect(outbox.from('backup')).toHaveLength(1);
    expect(() => outbox.outage({ provider: 'nope' })).toThrow(
      /"nope" is not a memory provider \(main, backup\)/,
    );
  });

  it('reset() switches every simulation off and empties the outbox', async () => {
    outbox.refuse('AUTH').delay(10_000);
    outbox.reset();
    await expect(sms.send({ to: '+79255070602', text: 'fine' })).resolves.toMatchObject({ provider: 'main' });
    outbox.reset();
    expect(outbox.size).toBe(0);
  });

  it('setStatus changes what getStatus reports, and names an unknown id', async () => {
    const { messages } = await sms.send({ to: '+79255070602', text: 'x' });
    outbox.setStatus(messages[0].id!, 'expired');
    await expect(sms.getStatus(messages[0].id!)).resolves.toMatchObject([{ status: 'expired', final: true }]);
    expect(() => outbox.setStatus('nope', 'delivered')).toThrow(/no message with id "nope"/);
  });
});
