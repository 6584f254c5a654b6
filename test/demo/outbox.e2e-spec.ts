import request from 'supertest';
import { type DemoApp, startDemo } from './demo-app';
import { SseClient } from './sse-client';

describe('demo dev outbox', () => {
  let demo: DemoApp;
  let url: string;
  const http = () => request(demo.app.getHttpServer());

  beforeAll(async () => {
    demo = await startDemo({}, { listen: true });
    url = await demo.app.getUrl();
  });
  afterEach(() => demo.outbox.reset());
  afterAll(() => demo.close());

  it('GET /outbox serves one self-contained HTML page', async () => {
    const res = await http()
      .get('/outbox')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(res.text).toContain('<title>Outbox · nestjs-sms</title>');
    expect(res.text).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
  });

  it('GET /outbox/messages lists what was sent, newest first, with segments and encoding', async () => {
    await http().post('/sms').send({ to: '+79255070602', text: 'first' }).expect(201);
    await http()
      .post('/sms')
      .send({ to: '+79161234567', text: 'Ж'.repeat(71), sender: 'MyShop' })
      .expect(201);
    const res = await http().get('/outbox/messages').expect(200);
    expect(res.body).toMatchObject([
      {
        to: '79161234567',
        segments: 2,
        encoding: 'UCS-2',
        sender: 'MyShop',
        status: 'delivered',
        provider: 'dev',
      },
      { to: '79255070602', text: 'first', segments: 1, encoding: 'GSM-7' },
    ]);
    expect(new Date(res.body[0].createdAt).getTime()).not.toBeNaN();
  });

  it('DELETE /outbox/messages empties it', async () => {
    await http().post('/sms').send({ to: '+79255070602', text: 'x' }).expect(201);
    await http().delete('/outbox/messages').expect(204);
    await http().get('/outbox/messages').expect(200, []);
  });

  it('GET /outbox/events streams added, updated and cleared changes', async () => {
    const stream = await SseClient.open(`${url}/outbox/events`);
    try {
      expect(stream.response.headers['content-type']).toContain('text/event-stream');
      const sent = await http().post('/sms').send({ to: '+79255070602', text: 'live!' }).expect(201);
      demo.outbox.setStatus(sent.body.messages[0].id, 'undelivered');
      await http().delete('/outbox/messages').expect(204);
      await stream.until(() => stream.events.length >= 3);
      expect(stream.events.map((e) => e.type)).toEqual(['added', 'updated', 'cleared']);
      expect(JSON.parse(stream.events[0].data)).toMatchObject({
        type: 'added',
        message: { to: '79255070602', text: 'live!', encoding: 'GSM-7', segments: 1 },
      });
      expect(JSON.parse(stream.events[1].data).message.status).toBe('undelivered');
      expect(JSON.parse(stream.events[2].data)).toEqual({ type: 'cleared', provider: 'dev' });
    } finally {
      stream.close();
    }
  });
});
