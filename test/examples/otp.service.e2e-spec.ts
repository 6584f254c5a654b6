import { Test, type TestingModule } from '@nestjs/testing';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';
import { OtpService } from './otp.service';

describe('OtpService', () => {
  let moduleRef: TestingModule;
  let otp: OtpService;
  let outbox: SmsOutbox;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot()],
      providers: [OtpService],
    }).compile();
    otp = moduleRef.get(OtpService);
    outbox = moduleRef.get(SmsOutbox);
  });

  afterEach(() => moduleRef.close());

  it('texts a code that then verifies', async () => {
    const result = await otp.sendCode('8 (925) 507-06-02');

    expect(result).toEqual({ status: 'sent', messageId: outbox.last()!.id });
    const [sms] = outbox.to('+7 925 507-06-02');
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const code = /Your code: (\d{4})/.exec(sms.text)![1];
    expect(otp.verify('79255070602', code)).toBe(true);
    expect(otp.verify('79255070602', '999')).toBe(false);
  });

  it('reports a number the provider refuses', async () => {
    outbox.failRecipient('+79255070602', 'STOP_LIST');

    await expect(otp.sendCode('+79255070602')).resolves.toEqual({ status: 'refused', reason: 'STOP_LIST' });
    expect(outbox.messages).toHaveLength(0);
  });

  it('asks to retry later while the provider is down, then works', async () => {
    outbox.outage({ times: 1 });

    await expect(otp.sendCode('+79255070602')).resolves.toEqual({ status: 'retry-later' });
    await expect(otp.sendCode('+79255070602')).resolves.toMatchObject({ status: 'sent' });
    expect(outbox.messages).toHaveLength(1);
  });

  it('passes on the wait a rate limit asks for', async () => {
    outbox.refuse('RATE_LIMITED', { retryAfterSeconds: 60 });

    await expect(otp.sendCode('+79255070602')).resolves.toEqual({
      status: 'retry-later',
      retryAfterSeconds: 60,
    });
  });

  it('does not send a second code when the outcome of the first is unknown', async () => {
    outbox.timeout();

    await expect(otp.sendCode('+79255070602')).resolves.toEqual({ status: 'pending' });
    // The provider did take it: one message, and the service did not resend.
    expect(outbox.to('+79255070602')).toHaveLength(1);
  });

  it('fails loudly on a refusal it cannot handle', async () => {
    outbox.refuse('AUTH');

    await expect(otp.sendCode('+79255070602')).rejects.toMatchObject({ code: 'AUTH', outcome: 'not_sent' });
  });
});
