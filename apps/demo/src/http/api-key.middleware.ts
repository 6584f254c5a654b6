import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { type ErrorResponse } from '../sms/sms-response.dto';

/** The browser session cookie: a value derived from the key (never the key itself), HttpOnly, SameSite=Strict. */
export const SESSION_COOKIE = 'demo_session';

/** Where a browser signs in (a form that posts the key) and out. */
export const LOGIN_PATH = '/login';
export const LOGOUT_PATH = '/logout';

/** How long the browser keeps the session cookie. */
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** What the API key protects, and what it leaves open. */
export interface ApiKeyOptions {
  /** `DEMO_API_KEY`. */
  apiKey: string;
  /** The webhook path (`sms/webhooks`): the providers call below it with their token, not the key. */
  webhookPath?: string;
  /** The form parser, for the sign-in form's body. */
  urlencoded: RequestHandler;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares in constant time: both sides are hashed to 32 bytes first, so the length leaks nothing. */
function sameSecret(given: string | undefined, expected: Buffer): boolean {
  return given !== undefined && timingSafeEqual(digest(given), expected);
}

/** The key a request carries: `Authorization: Bearer <key>`, or `x-api-key: <key>`. */
function presentedKey(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  const bearer = authorization && /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
  if (bearer) return bearer;
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header.trim() : undefined;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** A same-site path to go back to after signing in; anything else (another host, `//x`, `/\x`) is `/`. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : '/';
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sign-in page: the key goes in a POST body, never in a URL. */
function loginPage(next: string, notice?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>nestjs-sms demo: sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}
input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.4rem 0}.bad{color:#b00020}</style>
</head><body>
<h1>nestjs-sms demo</h1>
<p>This demo is protected by its API key (<code>DEMO_API_KEY</code>).</p>
${notice ? `<p class="bad" id="notice">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button id="sign-in" type="submit">Sign in</button>
</form>
</body></html>`;
}

/** Whether a request is one that the key does not guard: the health probes and the providers' callbacks. */
function openPath(path: string, webhookPrefix: string | undefined): boolean {
  // Express matches routes case-insensitively: so does this.
  const lower = path.toLowerCase();
  return lower.startsWith('/health/') || (webhookPrefix !== undefined && lower.startsWith(webhookPrefix));
}

/**
 * The demo's API key, checked ahead of every route (mounted by `configureApp` before the body parsers,
 * Swagger, the controllers and the webhook middleware, so that nothing is read or answered for a
 * caller without it, and a route added later is guarded without a word). Open: `/health/*` and the
 * webhook endpoints (`/<webhook path>/*`, protected by their own token), and the sign-in form.
 *
 * A client sends `Authorization: Bearer <key>` or `x-api-key: <key>`. A browser signs in at `/login`
 * (a form that posts the key) and gets a session cookie derived from the key (HttpOnly,
 * SameSite=Strict, so another site cannot use it), which the outbox page's requests and its event
 * stream carry by themselves. Keys are compared in constant time. A request without a valid key gets
 * 401 with the usual error body, or the sign-in page when a browser asks for HTML.
 */
export function createApiKeyMiddleware(options: ApiKeyOptions): RequestHandler {
  const expected = digest(options.apiKey);
  const session = createHmac('sha256', options.apiKey).update('nestjs-sms demo session').digest('base64url');
  const expectedSession = digest(session);
  const webhookPrefix = options.webhookPath
    ? `/${options.webhookPath.replace(/^\/+|\/+$/g, '').toLowerCase()}/`
    : undefined;

  const signIn = (req: Request, res: Response): void => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = localPath(body.next);
    if (!sameSecret(typeof body.key === 'string' ? body.key : undefined, expected)) {
      res.status(401).type('html').send(loginPage(next, 'That is not the API key.'));
      return;
    }
    res.cookie(SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_MAX_AGE_SECONDS * 1000,
    });
    res.redirect(303, next);
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (openPath(req.path, webhookPrefix)) return next();
    const path = req.path.toLowerCase().replace(/\/+$/, '');
    if (path === LOGIN_PATH && req.method === 'POST') {
      options.urlencoded(req, res, (error?: unknown) => (error ? next(error) : signIn(req, res)));
      return;
    }
    if (path === LOGIN_PATH && req.method === 'GET') {
      res.type('html').send(loginPage(localPath(req.query.next)));
      return;
    }
    if (path === LOGOUT_PATH && req.method === 'POST') {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.redirect(303, LOGIN_PATH);
      return;
    }
    if (sameSecret(presentedKey(req), expected) || sameSecret(cookie(req, SESSION_COOKIE), expectedSession))
      return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="nestjs-sms demo"');
    if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res
        .status(401)
        .type('html')
        .send(loginPage(localPath(req.originalUrl)));
      return;
    }
    const body: ErrorResponse = {
      statusCode: 401,
      code: 'AUTH',
      outcome: 'not_sent',
      failure: 'account',
      message: 'This demo requires its API key: send Authorization: Bearer <DEMO_API_KEY> or x-api-key',
      retryable: false,
    };
    res.status(401).json(body);
  };
}
