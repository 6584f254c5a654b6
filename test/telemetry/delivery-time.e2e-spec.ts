import { type SmsModuleOptions } from 'nestjs-sms';
import request from 'supertest';
import { sendTimes } from '../../libs/sms/src/telemetry/delivery-time';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { smsRuCallbackBody, startWebhookApp, type WebhookTestApp } from '../webhooks/webhook-test-app';
import { OtelKit } from './otel-kit';

const TOKEN = 'Dt4-kq8Wm2_XpL6nVc3z';
const PILOT_KEY = 'pilot-key-0123456789';
const BASE = '/sms/webhooks';

/** A histogram point as the SDK reports it. */
interface Histogram {
  count: number;
  sum: number;
  min: number;
  max: number;
}

describe('sms.delivery.duration: from the send to the final status', () => {
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  let t: WebhookTestApp;

  const boot = () => {
    const options: SmsModuleOptions = {
      providers: {
        ru: ru.providerConfig(),
        pilot: { driver: 'smspilot', apiKey: PILOT_KEY, baseUrl: pilot.url },
      },
      circuitBreaker: false,
      webhooks: { path: 'sms/webhooks', token: TOKEN, publicUrl: 'http://127.0.0.1:9/' },
    };
    return startWebhookApp({ options });
  };

  const sendVia = async (provider: 'ru' | 'pilot', to = '79255070602') => {
    const before = Date.now();
    const result = await t.sms.send({ provider, to, text: 'Hello' });
    const after = Date.now();
    expect(result.messages[0].accepted).toBe(true);
    return { id: result.messages[0].id!, before, after };
  };

  /** An SMS.ru callback of one status, at a UNIX time. */
  const smsRuCallback = (id: string, code: number, unixTime: number) =>
    request(t.app.getHttpServer())
      .post(`${BASE}/ru/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(smsRuCallbackBody(ru.apiId, [`sms_status\n${id}\n${code}\n${unixTime}`]))
      .expect(200, '100');

  const pilotCallback = (id: string, status: number) =>
    request(t.app.getHttpServer())
      .get(`${BASE}/pilot/${TOKEN}?server_id=${id}&status=${status}&error=0`)
      .expect(200, 'OK');

  beforeAll(async () => {
    [ru, pilot] = await Promise.all([SmsRuFake.start(), SmsPilotFake.start({ apiKey: PILOT_KEY })]);
  });
  afterAll(() => Promise.all([ru.close(), pilot.close()]));

  describe('with the API and no SDK', () => {
    beforeAll(async () => {
      t = await boot();
    });
    afterAll(() => t.close());

    it('nothing is remembered: sends, a final report and a final poll leave the map empty', async () => {
      const { id } = await sendVia('ru');
      const second = await sendVia('pilot');
      expect(sendTimes.size).toBe(0);
      await smsRuCallback(id, 103, Math.floor(Date.now() / 1000));
      await pilotCallback(second.id, 2);
      ru.statusSequence(id, [103]);
      const [status] = await t.sms.getStatus(id, { provider: 'ru' });
      expect(status.final).toBe(true);
      expect(sendTimes.size).toBe(0);
    });
  });

  describe('with an SDK', () => {
    const otel = new OtelKit();

    beforeAll(async () => {
      otel.start();
      t = await boot();
    });
    afterAll(async () => {
      await t.close();
      await otel.stop();
    });
    beforeEach(() => sendTimes.clear());

    const point = async (provider: string, status: string): Promise<Histogram | undefined> => {
      const points = await otel.points('sms.delivery.duration');
      const found = points.find(
        (p) => p.attributes['sms.provider'] === provider && p.attributes['sms.status'] === status,
      );
      if (found) expect(Object.keys(found.attributes).sort()).toEqual(['sms.provider', 'sms.status']);
      return found?.value as Histogram | undefined;
    };

    it('SMS.ru webhook: one point, the time from the send to the status time of the callback', async () => {
      const { id, before, after } = await sendVia('ru');
      expect(sendTimes.size).toBe(1);
      const statusTime = Math.floor(before / 1000) + 3;
      await smsRuCallback(id, 103, statusTime);

      const value = await point('ru', 'delivered');
      expect(value).toMatchObject({ count: 1 });
      expect(value!.sum).toBeGreaterThanOrEqual((statusTime * 1000 - after) / 1000);
      expect(value!.sum).toBeLessThanOrEqual((statusTime * 1000 - before) / 1000);
      expect(sendTimes.size).toBe(0);
      const [metric] = (await otel.collect()).filter((m) => m.descriptor.name === 'sms.delivery.duration');
      expect(metric.descriptor).toMatchObject({ unit: 's', type: 'HISTOGRAM' });
      expect(metric.dataPoints[0].value).toMatchObject({
        buckets: { boundaries: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400] },
      });
    });

    it('a repeated final report, another final status or a poll of the same id add nothing', async () => {
      const { id } = await sendVia('ru');
      const now = Math.floor(Date.now() / 1000);
      await smsRuCallback(id, 104, now);
      const once = await point('ru', 'expired');
      expect(once).toMatchObject({ count: 1 });

      await smsRuCallback(id, 104, now);
      await smsRuCallback(id, 103, now + 1);
      ru.statusSequence(id, [104]);
      const [status] = await t.sms.getStatus(id, { provider: 'ru' });
      expect(status).toMatchObject({ status: 'expired', final: true });
      expect(await point('ru', 'expired')).toMatchObject({ count: 1, sum: once!.sum });
      expect((await point('ru', 'delivered'))?.count).toBe(1);
    });

    it('a status that is not final adds nothing and keeps the id; a later final poll measures it', async () => {
      const { id, before } = await sendVia('ru', '79255070603');
      const earlier = (await point('ru', 'delivered')) ?? { count: 0, sum: 0 };
      await smsRuCallback(id, 102, Math.floor(Date.now() / 1000));
      expect(sendTimes.size).toBe(1);
      expect((await point('ru', 'delivered'))?.count ?? 0).toBe(earlier.count);

      ru.statusSequence(id, [102, 103]);
      const [status] = await t.sms.waitForFinalStatus(id, {
        provider: 'ru',
        intervalMs: 20,
        timeoutMs: 5_000,
      });
      const elapsed = (Date.now() - before) / 1000;
      expect(status).toMatchObject({ status: 'delivered', final: true });
      const value = await point('ru', 'delivered');
      expect(value!.count).toBe(earlier.count + 1);
      const measured = value!.sum - earlier.sum;
      expect(measured).toBeGreaterThanOrEqual(0.015); // at least the first poll's pause
      expect(measured).toBeLessThanOrEqual(elapsed + 1e-9);
      expect(sendTimes.size).toBe(0);
    });

    it('SMSPilot webhook: one point, the time from the send to the callback', async () => {
      const { id, before } = await sendVia('pilot');
      expect(sendTimes.size).toBe(1);
      await pilotCallback(id, -1);
      const elapsed = (Date.now() - before) / 1000;
      const value = await point('pilot', 'undelivered');
      expect(value).toMatchObject({ count: 1 });
      expect(value!.sum).toBeGreaterThanOrEqual(0);
      expect(value!.sum).toBeLessThanOrEqual(elapsed);

      await pilotCallback(id, -1);
      await pilotCallback(id, 2);
      expect(await point('pilot', 'undelivered')).toMatchObject({ count: 1 });
      expect(await point('pilot', 'delivered')).toBeUndefined();
    });

    it('SMSPilot polling: queued is not final, delivered is measured once', async () => {
      pilot.configureNumber('79255070604', { statuses: [1, 2] });
      const { id, before } = await sendVia('pilot', '79255070604');
      const [queued] = await t.sms.getStatus(id, { provider: 'pilot' });
      expect(queued.final).toBe(false);
      expect(await point('pilot', 'delivered')).toBeUndefined();

      const [delivered] = await t.sms.waitForFinalStatus(id, { provider: 'pilot', intervalMs: 20 });
      const elapsed = (Date.now() - before) / 1000;
      expect(delivered).toMatchObject({ status: 'delivered', final: true });
      const value = await point('pilot', 'delivered');
      expect(value).toMatchObject({ count: 1 });
      expect(value!.sum).toBeLessThanOrEqual(elapsed);
      await t.sms.getStatus(id, { provider: 'pilot' });
      expect(await point('pilot', 'delivered')).toMatchObject({ count: 1 });
    });

    it('a final report of an id this process did not send, or of a scheduled send, measures nothing', async () => {
      const total = async () => {
        const points = await otel.points('sms.delivery.duration');
        return points.reduce((n, p) => n + (p.value as Histogram).count, 0);
      };
      const before = await total();
      expect(before).toBeGreaterThan(0);
      await smsRuCallback('202626-9999999', 103, Math.floor(Date.now() / 1000));
      const scheduled = await t.sms.send({
        provider: 'ru',
        to: '79255070605',
        text: 'Hello',
        sendAt: new Date(Date.now() + 3_600_000),
      });
      expect(scheduled.messages[0].accepted).toBe(true);
      expect(sendTimes.size).toBe(0);
      await smsRuCallback(scheduled.messages[0].id!, 103, Math.floor(Date.now() / 1000));
      expect(await total()).toBe(before);
    });
  });
});
