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

/** Headless Chromium with a fresh profile of its own. */
async function launch(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'outbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
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
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

describe('dev outbox page in headless Chromium', () => {
  let demo: DemoApp;
  let url: string;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo({}, { listen: true });
    url = await demo.app.getUrl();
    browser = await launch();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
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

describe('dev outbox page behind DEMO_API_KEY in headless Chromium', () => {
  const key = 'dK9-4fQ2_zX7mL0pW3vB8nR5';
  let demo: DemoApp;
  let url: string;
  let browser: Awaited<ReturnType<typeof launch>>;

  beforeAll(async () => {
    demo = await startDemo({ DEMO_API_KEY: key }, { listen: true });
    url = await demo.app.getUrl();
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('asks for the key in a form, then the page, its event stream and its sends work with the session cookie', async () => {
    const { page, context } = browser;
    await page.goto(`${url}/outbox`);
    await page.locator('#key').waitFor();
    await page.fill('#key', 'not the key');
    await page.click('#sign-in');
    await expect(page.locator('#notice').innerText()).resolves.toContain('not the API key');
    await page.fill('#key', key);
    await page.click('#sign-in');
    await page.waitForURL(`${url}/outbox`);
    expect(page.url()).not.toContain(key);
    await page.locator('#live', { hasText: 'live' }).waitFor();

    await request(url)
      .post('/sms')
      .set('x-api-key', key)
      .send({ to: '+79031112233', text: 'Seen live' })
      .expect(201);
    await page.locator('article.sms', { hasText: 'Seen live' }).waitFor();
    await page.fill('#to', '+7 925 507-06-02');
    await page.fill('#text', 'Sent from the page');
    await page.click('#send');
    await page.locator('article.sms', { hasText: 'Sent from the page' }).waitFor();
    expect(demo.outbox.last()).toMatchObject({ to: '79255070602', text: 'Sent from the page' });

    const [session] = await context.cookies();
    expect(session).toMatchObject({ name: 'demo_session', httpOnly: true, sameSite: 'Strict' });
    expect(session.value).not.toContain(key);
  });
});
