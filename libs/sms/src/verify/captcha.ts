import { SmsError } from '../errors';

/** What a captcha verifier is told besides the token. */
export interface SmsCaptchaContext {
  /** The end user's IP address, when `start` was given one. */
  clientIp?: string;
}

/**
 * Checks a captcha token on the server. `true`: solved; `false`: not solved (the start is refused with
 * `CAPTCHA_FAILED`). Throw when the captcha service cannot answer.
 */
export interface SmsCaptchaVerifier {
  /** Named in events and errors. */
  readonly name: string;
  verify(token: string, context: SmsCaptchaContext): Promise<boolean>;
}

/** Settings of the built-in verifiers. */
export interface SmsCaptchaVerifierOptions {
  /** The server key. It is sent in the request body only. */
  secret: string;
  /** The verification endpoint; default the service's own. */
  url?: string;
  /** How long to wait for the answer. Default 5000 ms. */
  timeoutMs?: number;
}

/** The endpoints the built-in verifiers call by default. */
export const SMS_CAPTCHA_URLS = {
  yandex: 'https://smartcaptcha.yandexcloud.net/validate',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
} as const;

const DEFAULT_TIMEOUT_MS = 5000;

/** POSTs a form and returns the JSON answer; any failure is a typed `UNAVAILABLE` without the secret. */
async function postForm(
  name: string,
  options: SmsCaptchaVerifierOptions,
  defaultUrl: string,
  fields: Record<string, string | undefined>,
): Promise<Record<string, unknown>> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let why: string;
  try {
    const response = await fetch(options.url ?? defaultUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) {
      const json = (await response.json()) as unknown;
      if (json !== null && typeof json === 'object') return json as Record<string, unknown>;
      why = 'answered with something other than a JSON object';
    } else {
      why = `answered HTTP ${response.status}`;
    }
  } catch (e) {
    const name = (e as { name?: unknown } | null)?.name;
    why =
      name === 'TimeoutError' || name === 'AbortError'
        ? `did not answer within ${timeoutMs} ms`
        : 'could not be reached';
  }
  throw new SmsError(`The captcha verifier (${name}) ${why}; no code was sent`, {
    code: 'UNAVAILABLE',
    failure: 'unavailable',
  });
}

/** A verifier that POSTs `fields` to its URL and reads `solved` from the JSON answer. */
function formVerifier<O extends SmsCaptchaVerifierOptions>(
  name: string,
  defaultUrl: string,
  options: O,
  fields: (token: string, clientIp: string | undefined) => Record<string, string | undefined>,
  solved: (answer: Record<string, unknown>) => boolean,
): SmsCaptchaVerifier {
  if (!options || typeof options.secret !== 'string' || options.secret.trim() === '') {
    throw new TypeError(`${name}: "secret" is required`);
  }
  return {
    name,
    async verify(token, { clientIp }) {
      const answer = await postForm(name, options, defaultUrl, {
        secret: options.secret,
        ...fields(token, clientIp),
      });
      return solved(answer);
    },
  };
}

/**
 * Yandex SmartCaptcha (`POST /validate` with `secret`, `token`, `ip`; solved when `status` is `ok`).
 *
 * @example
 * captcha: { verifier: yandexSmartCaptcha({ secret: process.env.SMARTCAPTCHA_SERVER_KEY! }) }
 */
export function yandexSmartCaptcha(options: SmsCaptchaVerifierOptions): SmsCaptchaVerifier {
  return formVerifier(
    'yandex-smartcaptcha',
    SMS_CAPTCHA_URLS.yandex,
    options,
    (token, ip) => ({ token, ip }),
    (answer) => answer.status === 'ok',
  );
}

/** hCaptcha (`POST /siteverify` with `secret`, `response`, `remoteip`, `sitekey`; solved when `success`). */
export function hCaptcha(options: SmsCaptchaVerifierOptions & { sitekey?: string }): SmsCaptchaVerifier {
  return formVerifier(
    'hcaptcha',
    SMS_CAPTCHA_URLS.hcaptcha,
    options,
    (response, remoteip) => ({ response, remoteip, sitekey: options.sitekey }),
    (answer) => answer.success === true,
  );
}

/**
 * Google reCAPTCHA v2 or v3 (`POST /siteverify` with `secret`, `response`, `remoteip`; solved when
 * `success`, and for v3 when `score` is at least `minScore` and `action` matches when given).
 */
export function reCaptcha(
  options: SmsCaptchaVerifierOptions & { minScore?: number; action?: string },
): SmsCaptchaVerifier {
  return formVerifier(
    'recaptcha',
    SMS_CAPTCHA_URLS.recaptcha,
    options,
    (response, remoteip) => ({ response, remoteip }),
    (answer) =>
      answer.success === true &&
      (options.action === undefined || answer.action === options.action) &&
      (options.minScore === undefined ||
        (typeof answer.score === 'number' && answer.score >= options.minScore)),
  );
}
