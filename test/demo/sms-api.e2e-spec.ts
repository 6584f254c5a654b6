import request from 'supertest';
import { type DemoApp, startDemo } from './demo-app';

describe('demo REST API (memory provider, no settings)', () => {
  let demo: DemoApp;
  const http = () => request(demo.app.getHttpServer());

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterEach(() => demo.outbox.reset());
  afterAll(() => demo.close());

  it('POST /sms sends one text to several numbers, normalized and de-duplicated', async () => {
    const res = await http()
      .post('/sms')
      .send({
        to: ['+7 925 507-06-02', '89255070602', '8 (916) 123-45-67'],
        text: 'Your code: 4821',
        sender: 'MyShop',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      provider: 'dev',
      messages: [
        { to: '79255070602', accepted: true, status: 'delivered', segments: 1 },
        { to: '79161234567', accepted: true, status: 'delivered', segments: 1 },
      ],
      attempts: [{ provider: 'dev', result: 'sent', recipients: 2 }],
    });
    expect(demo.outbox.to('+79255070602')).toMatchObject([
      { text: 'Your code: 4821', sender: 'MyShop', encoding: 'GSM-7' },
    ]);
    expect(demo.outbox.size).toBe(2);
  });

  it('POST /sms takes sendAt as an ISO string and schedules the message', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await http().post('/sms').send({ to: '+79255070602', text: 'later', sendAt }).expect(201);
    expect(res.body.messages[0].status).toBe('scheduled');
    expect(demo.outbox.last()?.sendAt?.toISOString()).toBe(sendAt);
  });

  it('POST /sms/batch sends each number its own text', async () => {
    const res = await http()
      .post('/sms/batch')
      .send({
        items: [
          { to: '+79255070602', text: 'Order 1 shipped' },
          { to: '+79161234567', text: 'Заказ 2 отправлен' },
        ],
      })
      .expect(201);
    expect(res.body.messages.map((m: { to: string; text: string }) => [m.to, m.text])).toEqual([
      ['79255070602', 'Order 1 shipped'],
      ['79161234567', 'Заказ 2 отправлен'],
    ]);
    expect(demo.outbox.texts()).toEqual(['Order 1 shipped', 'Заказ 2 отправлен']);
    expect(demo.outbox.last()?.encoding).toBe('UCS-2');
  });

  it('GET /sms/status takes ids comma-separated or repeated', async () => {
    const sent = await http()
      .post('/sms')
      .send({ to: ['+79255070602', '+79161234567'], text: 'hi' })
      .expect(201);
    const [a, b] = sent.body.messages.map((m: { id: string }) => m.id);
    demo.outbox.setStatus(b, 'undelivered');
    const comma = await http().get(`/sms/status?ids=${a},${b},nope&provider=dev`).expect(200);
    expect(comma.body).toEqual([
      {
        id: a,
        provider: 'dev',
        status: 'delivered',
        final: true,
        providerStatus: 'delivered',
        to: '79255070602',
      },
      {
        id: b,
        provider: 'dev',
        status: 'undelivered',
        final: true,
        providerStatus: 'undelivered',
        to: '79161234567',
      },
      { id: 'nope', provider: 'dev', status: 'not_found', final: true, providerStatus: 'not_found' },
    ]);
    const repeated = await http().get(`/sms/status?ids=${a}&ids=${b}`).expect(200);
    expect(repeated.body.map((s: { id: string }) => s.id)).toEqual([a, b]);
  });

  it('GET /sms/status without ids is a 400 naming the field', async () => {
    const res = await http().get('/sms/status').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION', outcome: 'not_sent' });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('ids');
    await http().get('/sms/status?ids=').expect(400);
  });

  it('POST /sms/cost prices a send without sending it', async () => {
    const text = 'Ж'.repeat(71);
    const res = await http()
      .post('/sms/cost')
      .send({ to: ['+79255070602', '+79161234567'], text })
      .expect(200);
    expect(res.body).toEqual({
      provider: 'dev',
      total: 0,
      totalSegments: 4,
      currency: 'RUB',
      messages: [
        { to: '79255070602', segments: 2, price: 0 },
        { to: '79161234567', segments: 2, price: 0 },
      ],
    });
    expect(demo.outbox.size).toBe(0);
  });

  it('GET /sms/balance answers for the default provider or a named one', async () => {
    await http().get('/sms/balance').expect(200, { provider: 'dev', balance: 0, currency: 'RUB' });
    await http()
      .get('/sms/balance?provider=dev')
      .expect(200, { provider: 'dev', balance: 0, currency: 'RUB' });
  });

  it('names an unknown provider in a 400', async () => {
    const res = await http().get('/sms/balance?provider=nope').expect(400);
    expect(res.body.details).toEqual([{ field: 'provider', message: expect.stringContaining('"nope"') }]);
  });

  it('rejects bad input with every problem listed, before anything is sent', async () => {
    const res = await http()
      .post('/sms/batch')
      .send({ items: [{ to: '123', text: ' ' }], ttlMinutes: 0, extra: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['extra', 'items[0].text', 'items[0].to', 'ttlMinutes'].sort(),
    );
    expect(demo.outbox.size).toBe(0);
  });

  it('reports what only the library can check (too many parts) in the same shape', async () => {
    const res = await http()
      .post('/sms')
      .send({ to: '+79255070602', text: 'Ж'.repeat(700) })
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION',
      details: [{ field: 'text', message: expect.stringContaining('parts') }],
    });
  });

  it('GET / leads to the outbox page', async () => {
    await http().get('/').expect(302).expect('Location', '/outbox');
  });
});
