import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { type DemoApp, startDemo } from './demo-app';

jest.setTimeout(60_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** 71 characters, Cyrillic: one more than a single UCS-2 SMS holds. */
const TEXT = 'Ваш заказ №1042 собран и передан курьеру. Ждите звонка сегодня до 18:00';

describe('dev outbox page in headless Chromium', () => {
  let demo: DemoApp;
  let url: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo({}, { listen: true });
    url = await demo.app.getUrl();
    profile = mkdtempSync(join(tmpdir(), 'outbox-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await demo?.close();
  });

  it('sends a Cyrillic message through the form and shows its bubble: 2 segments, UCS-2', async () => {
    await request(url)
      .post('/sms')
      .send({ to: '+7 916 123-45-67', text: 'Your code: 4821', sender: 'MyShop' })
      .expect(201);
    await page.goto(`${url}/outbox`);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await page.locator('article.sms', { hasText: 'Your code: 4821' }).waitFor();

    await page.fill('#to', '+7 925 507-06-02');
    await page.fill('#sender', 'Courier');
    await page.fill('#text', TEXT);
    await expect(page.locator('#counter').innerText()).resolves.toMatch(/71 characters\s+2 segments · UCS-2/);
    await page.click('#send');

    const bubble = page.locator('article.sms', { hasText: TEXT });
    await bubble.waitFor();
    const card = await bubble.innerText();
    expect(card).toContain('2 segments, UCS-2');
    expect(card).toContain('+7 925 507-06-02');
    expect(card).toContain('from Courier');
    expect(card).toContain('delivered');
    await expect(page.locator('#result').innerText()).resolves.toMatch(/^Sent dev-2 via dev/);
    expect(demo.outbox.last()).toMatchObject({
      to: '79255070602',
      text: TEXT,
      segments: 2,
      encoding: 'UCS-2',
    });

    const order = await page.locator('article.sms .bubble').allInnerTexts();
    expect(order).toEqual([TEXT, 'Your code: 4821']);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'outbox.png'), fullPage: true, animations: 'disabled' });
  });

  it('shows messages sent elsewhere live, and the errors of the API in the form', async () => {
    await request(url)
      .post('/sms')
      .send({ to: '+79031112233', text: 'Sent by the API, seen live' })
      .expect(201);
    await page.locator('article.sms', { hasText: 'Sent by the API, seen live' }).waitFor();

    await page.fill('#to', '12');
    await page.fill('#text', 'x');
    await page.click('#send');
    await expect(page.locator('#result .notice.bad').innerText()).resolves.toContain(
      'to must be a valid phone number',
    );
  });
});
