import { Test, type TestingModule } from '@nestjs/testing';
import { SmsError, SmsValidationError } from './errors';
import { MemoryProvider } from './providers/memory';
import { SmsModule } from './sms.module';
import { SmsService } from './sms.service';

describe('SmsService: the seams other modules build on', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { dev: { driver: 'memory', maxRecipients: 3 }, backup: { driver: 'memory' } },
          defaultProvider: 'backup',
          defaultCountry: 'KZ',
          sendTimeoutMs: 12_345,
        }),
      ],
    }).compile();
    sms = moduleRef.get(SmsService);
  });

  afterEach(() => moduleRef.close());

  it('shows the resolved defaults', () => {
    expect(sms.defaultProvider).toBe('backup');
    expect(sms.defaultCountry).toBe('KZ');
    expect(sms.sendTimeoutMs).toBe(12_345);
    expect(sms.providers).toEqual(['dev', 'backup']);
  });

  it('shows a provider read-only: its driver, capabilities and effective limits', () => {
    const info = sms.provider('dev');
    expect(info).toMatchObject({ name: 'dev', driver: 'memory', limits: { maxRecipients: 3 } });
    expect(info.capabilities).toContain('testMode');
    info.limits.maxRecipients = 1_000;
    expect(sms.provider('dev').limits.maxRecipients).toBe(3);
    expect(sms.provider().name).toBe('backup');
    expect(() => sms.provider('nowhere')).toThrow(SmsValidationError);
  });

  it('validate normalizes a send as send would, and sends nothing', () => {
    const validated = sms.validate({ to: ['8 701 123 4567', '+77011234567'], text: 'Hi', provider: 'dev' });
    expect(validated).toMatchObject({ provider: 'dev', messages: [{ to: '77011234567', text: 'Hi' }] });
    expect(validated.messages).toHaveLength(1);
    expect(sms.driver('dev', MemoryProvider).outbox.size).toBe(0);
  });

  it('validate throws what send would throw before any request', () => {
    expect(() => sms.validate({ to: 'nope', text: 'Hi' })).toThrow(SmsValidationError);
    expect(() =>
      sms.validate({
        to: ['+77011234567', '+77011234568', '+77011234569', '+77011234560'],
        text: 'Hi',
        provider: 'dev',
      }),
    ).toThrow(SmsError);
    expect(() => sms.validate({ to: '+77011234567', text: 'Hi', idempotencyKey: 'k'.repeat(201) })).toThrow(
      /idempotencyKey: must be a non-empty text of at most 200 characters/,
    );
  });
});
