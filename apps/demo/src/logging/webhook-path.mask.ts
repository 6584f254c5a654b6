/** What a logged path shows instead of a webhook token. */
export const WEBHOOK_TOKEN_MASK = '***';

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A segment that looks like a secret token: long, of the token alphabet, with a digit or mixed case. */
function looksLikeToken(segment: string): boolean {
  return (
    /^[A-Za-z0-9._~-]{16,}$/.test(segment) &&
    (/\d/.test(segment) || (/[a-z]/.test(segment) && /[A-Z]/.test(segment)))
  );
}

/**
 * Builds the function that hides the secret token of the delivery-report URLs in a request path
 * before it is logged: `/sms/webhooks/main/Tk7…` → `/sms/webhooks/main/***`. Below the webhook path,
 * only a configured provider name right after it is kept; everything else becomes one `***`. The match
 * is generous, so that no spelling of a callback URL reaches a log with its token: case-insensitive,
 * percent-decoded (`%2F` included), repeated slashes collapsed, the webhook path anywhere in the URL
 * (after a global prefix too). Anywhere else, a segment that holds a configured token, or that looks
 * like one (16 characters or more of `A-Za-z0-9._~-` with a digit or both cases: a token sent to the
 * wrong path, an old one), becomes `***` too. Other paths are returned as they are.
 *
 * @example
 * const mask = createWebhookPathMask('sms/webhooks', ['main', 'backup']);
 * mask('/sms/webhooks/main/Tk7-wq2Lx9_ZpR4mVb8n'); // '/sms/webhooks/main/***'
 * mask('/hooks/main/Tk7-wq2Lx9_ZpR4mVb8n'); // '/hooks/main/***'
 */
export function createWebhookPathMask(
  webhookPath: string | undefined,
  providers: readonly string[],
  tokens: readonly string[] = [],
): (path: string) => string {
  const base = (webhookPath ?? '').toLowerCase().split('/').filter(Boolean);
  const known = new Set(providers.map((name) => name.toLowerCase()));
  const secrets = tokens.filter((token) => token.length > 0).map((token) => token.toLowerCase());
  const secret = (segment: string) =>
    looksLikeToken(segment) || secrets.some((token) => segment.toLowerCase().includes(token));
  return (path) => {
    const segments = path
      .split('/')
      .flatMap((segment) => decodeSegment(segment).split('/'))
      .filter(Boolean);
    const lower = segments.map((segment) => segment.toLowerCase());
    const at =
      base.length === 0
        ? -1
        : lower.findIndex((_, i) => base.every((segment, j) => lower[i + j] === segment));
    const rest = at === -1 ? [] : segments.slice(at + base.length);
    if (rest.length > 0) {
      const kept = known.has(rest[0].toLowerCase()) ? [rest[0]] : [];
      const masked = kept.length === rest.length ? [] : [WEBHOOK_TOKEN_MASK];
      return `/${[...segments.slice(0, at + base.length), ...kept, ...masked].join('/')}`;
    }
    if (!segments.some(secret)) return path;
    return `/${segments.map((segment) => (secret(segment) ? WEBHOOK_TOKEN_MASK : segment)).join('/')}`;
  };
}
