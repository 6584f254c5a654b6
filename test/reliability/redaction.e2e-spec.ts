import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsError, SmsModule, SmsService, type SmsEvent, type SmsProviderConfig } from 'nestjs-sms';
import { FakeHttpServer, type FakeReply } from '../fakes/fake-http-server';
import { CapturingLogger, renderings } from './log-capture';

/**
 * A gateway that writes the request back in its error pages: the body, the login, the password, the
 * key, as written, URL-encoded and JSON-escaped, at every offset around 480 characters (where the
 * excerpt used to be cut before the secrets were replaced). No view of the error, of the events or of
 * the logs may hold any piece of a credential: no substring of it (or of its encoded forms) of
 * `min(length, 6)` characters or more, compared case-insensitively.
 */

jest.setTimeout(120_000);

const LOGIN = 'shop.owner+sms@example.com';
const PASSWORD = 'Пароль/с "кавычками"&+ 42';
const API_ID = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
const API_KEY = 'XK7Q2M9ZL4W8R1T6YB3N5V0CJ7H2D9FG4S8P1A6E3U5O0I7Y2T9R4E1W8Q3Z6X5C';

/** Ways a gateway writes a value back. */
const FORMS: Record<string, (text: string) => string> = {
  raw: (text) => text,
  encodeURIComponent,
  'form encoding': (text) => new URLSearchParams({ s: text }).toString().slice(2),
  JSON: (text) => JSON.stringify(text).slice(1, -1),
  'JSON \\uXXXX': (text) =>
    JSON.stringify(text)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
};

/** Offsets of the echo in the page, every one around the old cut. */
const PADS = Array.from({ length: 61 }, (_, i) => 440 + i);

interface Driver {
  name: string;
  config: SmsProviderConfig;
  secrets: string[];
  /** The path a send posts to. */
  path: string;
  /** The provider's own JSON error answer, with a text of its choosing. */
  jsonError: (text: string) => string;
}

const DRIVERS: Driver[] = [
  {
    name: 'SMS.ru with api_id',
    config: { driver: 'smsru', apiId: API_ID },
    secrets: [API_ID],
    path: '/sms/send',
    jsonError: (text) => JSON.stringify({ status: 'ERROR', status_code: 200, status_text: text }),
  },
  {
    name: 'SMS.ru with login and password',
    config: { driver: 'smsru', login: LOGIN, password: PASSWORD },
    secrets: [LOGIN, PASSWORD],
    path: '/sms/send',
    jsonError: (text) => JSON.stringify({ status: 'ERROR', status_code: 200, status_text: text }),
  },
  {
    name: 'SMSPilot with apikey',
    config: { driver: 'smspilot', apiKey: API_KEY },
    secrets: [API_KEY],
    path: '/api.php',
    jsonError: (text) => JSON.stringify({ error: { code: '101', description: text, description_ru: text } }),
  },
  {
    name: 'SMSPilot with login and password',
    config: { driver: 'smspilot', login: LOGIN, password: PASSWORD },
    secrets: [LOGIN, PASSWORD],
    path: '/api.php',
    jsonError: (text) => JSON.stringify({ error: { code: '101', description: text, description_ru: text } }),
  },
];

/** Pages that put the echo into an error: its text starts exactly at `pad`. */
const PAGES: Record<string, (driver: Driver, pad: number, echo: string) => FakeReply> = {
  'HTTP 500 page': (_, pad, echo) => ({ status: 500, body: page(pad, echo) }),
  'HTTP 400 page': (_, pad, echo) => ({ status: 400, body: page(pad, echo) }),
  'HTTP 200 that is not JSON': (_, pad, echo) => ({ status: 200, body: page(pad, echo) }),
  "the provider's JSON error": (driver, pad, echo) => ({
    status: 200,
    body: driver.jsonError(' '.repeat(pad) + echo),
  }),
};

/** An HTML page whose text has `echo` at offset `pad`, after markup and whitespace that collapse. */
function page(pad: number, echo: string): string {
  const head = '<html><body><pre>\n';
  return `${head}${' '.repeat(pad - head.length)}${echo}\n</pre></body></html>`;
}

/** A pattern of every piece of every spelling of every secret. */
function piecesOf(secrets: string[]): RegExp {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    for (const spelled of new Set(Object.values(FORMS).map((form) => form(secret)))) {
      const size = Math.min(spelled.length, 6);
      for (let i = 0; i + size <= spelled.length; i++) pieces.add(spelled.slice(i, i + size));
    }
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp([...pieces].map(escape).join('|'), 'gi');
}

/** The pieces of a secret that `text` holds. */
const leaks = (text: string, pieces: RegExp): string[] => [...new Set(text.match(pieces) ?? [])];

/** The error, and each `cause` under it, every way it can be printed. */
function views(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    out.push(...renderings(e), inspect(e, { depth: 20 }));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

describe('redaction: credentials echoed by a gateway never reach an error, an event or a log', () => {
  const logger = new CapturingLogger();
  let fake: FakeHttpServer;

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    fake = await FakeHttpServer.start(() => ({ status: 500, body: '' }));
  });
  afterAll(() => fake.close());

  describe.each(DRIVERS)('$name', (driver) => {
    let moduleRef: TestingModule;
    let sms: SmsService;
    const events: SmsEvent[] = [];
    const pieces = piecesOf(driver.secrets);

    beforeAll(async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          SmsModule.forRoot({
            providers: { main: { ...driver.config, baseUrl: fake.url } as SmsProviderConfig },
            retry: false,
            circuitBreaker: false,
          }),
        ],
      })
        .setLogger(logger)
        .compile();
      await moduleRef.init();
      sms = moduleRef.get(SmsService);
      sms.events$.subscribe((event) => events.push(event));
    });
    afterAll(() => moduleRef.close());

    it.each(Object.keys(PAGES))('%s', async (pageName) => {
      const echoes: Array<[string, (body: string) => string]> = [
        ...driver.secrets.flatMap((secret, n) =>
          Object.entries(FORMS).map(([form, encode]): [string, (body: string) => string] => [
            `secret ${n} ${form}`,
            () => encode(secret),
          ]),
        ),
        ['the request body', (body) => body],
        ['the request body, JSON-escaped', (body) => FORMS.JSON(body)],
      ];
      const problems: unknown[] = [];
      let errors = 0;
      for (const [echoName, echo] of echoes) {
        // Every offset at once: the page is chosen by the offset the message text names.
        fake.setHandler((request) => {
          expect(request.path).toBe(driver.path);
          const pad = Number(
            /^pad (\d+)$/.exec(request.form.get('msg') ?? request.form.get('send') ?? '')?.[1],
          );
          return PAGES[pageName](driver, pad, echo(request.body));
        });
        logger.lines.length = 0;
        events.length = 0;
        const outcomes = await Promise.all(
          PADS.map((pad) =>
            sms.send({ to: '+7 925 507-06-02', text: `pad ${pad}` }).then(
              () => ({ pad, error: undefined as unknown }),
              (error: unknown) => ({ pad, error }),
            ),
          ),
        );
        const shared = [JSON.stringify(events), inspect(events, { depth: 20 }), ...logger.lines].join('\n');
        const found = leaks(shared, pieces);
        if (found.length > 0) problems.push({ echoName, inEventsOrLogs: found });
        for (const { pad, error } of outcomes) {
          if (!(error instanceof SmsError)) {
            problems.push({ echoName, pad, notAnSmsError: String(error) });
            continue;
          }
          errors++;
          // The page did reach the error: the secret was replaced, not left out.
          if (!JSON.stringify(error).includes('[redacted]'))
            problems.push({ echoName, pad, notEchoed: error.toJSON() });
          const inError = leaks(views(error).join('\n'), pieces);
          if (inError.length > 0) problems.push({ echoName, pad, found: inError, error: error.toJSON() });
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
      expect(errors).toBe(echoes.length * PADS.length);
    });
  });
});
