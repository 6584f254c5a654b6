import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { type DemoApp, startDemo } from '../demo/demo-app';

jest.setTimeout(60_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** A JSON POST from the page, as a front end would send it. */
async function post(
  page: Page,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ([p, b]) => {
      const res = await fetch(p as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    [path, body] as const,
  );
}

describe('demo: verification flow in headless Chromium', () => {
  let demo: DemoApp;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo({ SMS_VERIFY_SECRET: 'demo-verify-secret-0123456789abcdef' }, { listen: true });
    url = await demo.app.getUrl();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('start → the code read from the outbox page → check → approved, good once', async () => {
    await page.goto(`${url}/outbox`);
    await page.locator('#live', { hasText: 'live' }).waitFor();

    const started = await post(page, '/verify/start', { to: '+7 925 507-06-02' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ to: '79255070602', status: 'pending', provider: 'dev' });
    expect(JSON.stringify(started.body)).not.toMatch(/"code"/);

    const bubble = page.locator('article.sms .bubble', { hasText: 'Код:' });
    await bubble.waitFor();
    const text = await bubble.innerText();
    const code = /Код: (\d{6})\. Действует 5 мин\./.exec(text)?.[1];
    expect(code).toMatch(/^\d{6}$/);

    // A double click within the cooldown: the same verification, no second SMS.
    const again = await post(page, '/verify/start', { to: '89255070602' });
    expect(again).toMatchObject({ status: 201, body: { id: started.body.id } });
    expect(demo.outbox.messages.filter((m) => m.to === '79255070602')).toHaveLength(1);

    const wrong = await post(page, '/verify/check', {
      id: started.body.id,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong).toEqual({ status: 200, body: { status: 'pending', attemptsLeft: 4 } });
    const approved = await post(page, '/verify/check', { id: started.body.id, code });
    expect(approved).toEqual({ status: 200, body: { status: 'approved', attemptsLeft: 3 } });
    const reused = await post(page, '/verify/check', { to: '+7 925 507-06-02', code });
    expect(reused).toEqual({ status: 200, body: { status: 'not_found', attemptsLeft: 0 } });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({
      path: join(ARTIFACTS, 'verify-outbox.png'),
      fullPage: true,
      animations: 'disabled',
    });
  });

  it('answers refusals with the error body and status of the demo', async () => {
    const abroad = await request(url).post('/verify/start').send({ to: '+380 50 123 4567' }).expect(422);
    expect(abroad.body).toMatchObject({ code: 'COUNTRY_NOT_ALLOWED', outcome: 'not_sent', retryable: false });
    const landline = await request(url).post('/verify/start').send({ to: '+7 495 123-45-67' }).expect(400);
    expect(landline.body).toMatchObject({ code: 'INVALID_PHONE' });
    const bad = await request(url).post('/verify/check').send({ id: 'x', code: 'abc' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION' });
    const unknownField = await request(url)
      .post('/verify/start')
      .send({ to: '+79031112233', code: '1' })
      .expect(400);
    expect(unknownField.body).toMatchObject({ code: 'VALIDATION' });
    const none = await request(url).post('/verify/check').send({ code: '123456' }).expect(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION' });
  });

  it('documents both routes in OpenAPI', async () => {
    const { body } = await request(url).get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/verify/start', '/verify/check']));
    expect(body.paths['/verify/start'].post.responses).toHaveProperty('201');
    expect(body.paths['/verify/start'].post.responses).toHaveProperty('429');
    expect(body.paths['/verify/check'].post.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/VerifyCheckResponse',
    );
  });
});
