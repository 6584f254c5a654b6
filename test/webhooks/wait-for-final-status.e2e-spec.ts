import { Test, type TestingModule } from '@nestjs/testing';
import { SmsError, SmsModule, type SmsModuleOptions, SmsService, SmsValidationError } from 'nestjs-sms';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';

describe('SmsService.waitForFinalStatus against the fake SMS.ru', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  async function boot(extra: Partial<SmsModuleOptions> = {}): Promise<void> {
    moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { ru: fake.providerConfig() }, ...extra })],
    }).compile();
    sms = moduleRef.get(SmsService);
  }

  async function sendOne(to = '79255070602'): Promise<string> {
    const result = await sms.send({ to, text: 'Your code: 1234' });
    expect(result.messages[0].accepted).toBe(true);
    return result.messages[0].id!;
  }

  beforeEach(async () => {
    fake = await SmsRuFake.start();
    await boot();
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  it('polls with backoff while the status moves 100 → 102 → 103, then returns the final status', async () => {
    const id = await sendOne();
    fake.statusSequence(id, [100, 102, 103]);
    const statuses = await sms.waitForFinalStatus(id, { intervalMs: 100, timeoutMs: 5_000 });
    expect(statuses).toEqual([
      expect.objectContaining({ id, provider: 'ru', status: 'delivered', final: true, providerStatus: 103 }),
    ]);
    const polls = fake.requestsTo('sms/status');
    expect(polls).toHaveLength(3);
    expect(polls.map((p) => p.form.get('sms_id'))).toEqual([id, id, id]);
    const firstPause = polls[1].at - polls[0].at;
    const secondPause = polls[2].at - polls[1].at;
    expect(firstPause).toBeGreaterThanOrEqual(95);
    expect(secondPause).toBeGreaterThanOrEqual(145);
  });

  it('asks again only for the ids that are not final yet, and keeps the input order', async () => {
    const slow = await sendOne('79255070602');
    const fast = await sendOne('79255070603');
    fake.statusSequence(slow, [100, 102, 103]);
    fake.statusSequence(fast, [104]);
    const statuses = await sms.waitForFinalStatus([slow, fast], { intervalMs: 20, timeoutMs: 5_000 });
    expect(statuses.map((s) => [s.id, s.status, s.final])).toEqual([
      [slow, 'delivered', true],
      [fast, 'expired', true],
    ]);
    expect(fake.requestsTo('sms/status').map((p) => p.form.get('sms_id'))).toEqual([
      `${slow},${fast}`,
      slow,
      slow,
    ]);
  });

  it('at the timeout resolves with the statuses as they are, not final', async () => {
    const id = await sendOne();
    fake.statusSequence(id, [100, 102]);
    const started = Date.now();
    const statuses = await sms.waitForFinalStatus([id], { intervalMs: 50, timeoutMs: 400 });
    const elapsed = Date.now() - started;
    expect(statuses).toEqual([
      expect.objectContaining({ id, status: 'sent', final: false, providerStatus: 102 }),
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(1_500);
    expect(fake.requestsTo('sms/status').length).toBeGreaterThanOrEqual(3);
  });

  it('rides out a temporary failure of a status read', async () => {
    await moduleRef.close();
    await boot({ retry: false });
    const id = await sendOne();
    fake.statusSequence(id, [102, 103]);
    fake.failRequests('sms/status', 220, 1);
    const statuses = await sms.waitForFinalStatus(id, { intervalMs: 20, timeoutMs: 5_000 });
    expect(statuses).toEqual([expect.objectContaining({ id, status: 'delivered', final: true })]);
    expect(fake.requestsTo('sms/status')).toHaveLength(3);
  });

  it('throws at once on an error that waiting cannot cure', async () => {
    const id = await sendOne();
    fake.apiId = 'rotated-api-id';
    const err = await sms
      .waitForFinalStatus(id, { intervalMs: 20, timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect(err).toMatchObject({ code: 'AUTH' });
    expect(fake.requestsTo('sms/status')).toHaveLength(1);
  });

  it('refuses bad arguments before any request', async () => {
    await expect(sms.waitForFinalStatus([], {})).rejects.toBeInstanceOf(SmsValidationError);
    await expect(sms.waitForFinalStatus('202626-1', { timeoutMs: -1 })).rejects.toMatchObject({
      details: [{ field: 'timeoutMs' }],
    });
    await expect(sms.waitForFinalStatus('202626-1', { intervalMs: 0 })).rejects.toMatchObject({
      details: [{ field: 'intervalMs' }],
    });
    expect(fake.requestsTo('sms/status')).toHaveLength(0);
  });
});

describe('SmsService.waitForFinalStatus against the fake SMSPilot', () => {
  let fake: SmsPilotFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeEach(async () => {
    fake = await SmsPilotFake.start({ apiKey: 'pilot-wait-key' });
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { pilot: { driver: 'smspilot', apiKey: 'pilot-wait-key', baseUrl: fake.url } },
        }),
      ],
    }).compile();
    sms = moduleRef.get(SmsService);
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  it('a 302 for a check of a known and an unknown id ends neither early: the known one is followed to delivered', async () => {
    fake.notFoundRule = 'any-missing';
    fake.configureNumber('79087964781', { statuses: [1, 2] });
    const sent = await sms.send({ to: '79087964781', text: 'Track me' });
    const known = sent.messages[0].id!;
    const statuses = await sms.waitForFinalStatus([known, '777777'], { intervalMs: 20, timeoutMs: 5_000 });
    expect(statuses.map((s) => [s.id, s.status, s.final])).toEqual([
      [known, 'delivered', true],
      ['777777', 'not_found', true],
    ]);
  });
});
