import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';
import { ROOT } from './doc-blocks';
import { DeliveryService } from './package/delivery.service';
import { WelcomeService } from './package/welcome.service';

describe("the package README's examples", () => {
  let moduleRef: TestingModule;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot()],
      providers: [WelcomeService, DeliveryService],
    }).compile();
  });
  afterEach(() => moduleRef.close());

  it('WelcomeService sends one text and returns its result', async () => {
    const sent = await moduleRef.get(WelcomeService).welcome('8 925 507 06 02');
    expect(sent).toMatchObject({ to: '79255070602', accepted: true, segments: 1 });
    expect(
      moduleRef
        .get(SmsOutbox)
        .to('79255070602')
        .map((m) => m.text),
    ).toEqual(['Welcome to MyShop!']);
  });

  it('DeliveryService waits for the final status', async () => {
    await expect(moduleRef.get(DeliveryService).sendAndWait('+79255070602', 'Hi')).resolves.toBe('delivered');
  });
});

describe('the package README', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'libs/sms/package.json'), 'utf8')) as {
    homepage: string;
    repository: { url: string; directory: string };
  };
  const readme = readFileSync(join(ROOT, 'libs/sms/README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
  const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

  it('names the repository and the home page in package.json', () => {
    expect(repo).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(pkg.homepage.startsWith(repo)).toBe(true);
    expect(pkg.repository.directory).toBe('libs/sms');
  });

  it('links only with absolute URLs, so they work on the npm page', () => {
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((l) => !/^https:\/\//.test(l))).toEqual([]);
  });

  it('links to files of the repository that exist, among them every guide', () => {
    const prefix = `${repo}/blob/main/`;
    const files = links.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).split('#')[0]);
    const missing = files.filter((f) => {
      try {
        readFileSync(join(ROOT, f));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
    for (const guide of ['configuration', 'reliability', 'webhooks', 'testing', 'health', 'queue']) {
      expect(files).toContain(`docs/${guide}.md`);
    }
  });
});
