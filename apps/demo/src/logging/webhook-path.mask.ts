/** What a logged path shows instead of a webhook token. */
export const WEBHOOK_TOKEN_MASK = '***';

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Builds the function that hides the secret token of the delivery-report URLs in a request path
 * before it is logged: `/sms/webhooks/main/Tk7…` → `/sms/webhooks/main/***`. Below the webhook path,
 * only a configured provider name right after it is kept; everything else becomes one `***`. The match
 * is generous, so that no spelling of a callback URL reaches a log with its token: case-insensitive,
 * percent-decoded (`%2F` included), repeated slashes collapsed, the webhook path anywhere in the URL
 * (after a global prefix too). Other paths are returned as they are.
 *
 * @example
 * const mask = createWebhookPathMask('sms/webhooks', ['main', 'backup']);
 * mask('/sms/webhooks/main/Tk7-wq2Lx9_ZpR4mVb8n'); // '/sms/webhooks/main/***'
 */
export function createWebhookPathMask(
  webhookPath: string | undefined,
  providers: readonly string[],
): (path: string) => string {
  const base = (webhookPath ?? '').toLowerCase().split('/').filter(Boolean);
  if (base.length === 0) return (path) => path;
  const known = new Set(providers.map((name) => name.toLowerCase()));
  return (path) => {
    const segments = path
      .split('/')
      .flatMap((segment) => decodeSegment(segment).split('/'))
      .filter(Boolean);
    const lower = segments.map((segment) => segment.toLowerCase());
    const at = lower.findIndex((_, i) => base.every((segment, j) => lower[i + j] === segment));
    const rest = at === -1 ? [] : segments.slice(at + base.length);
    if (rest.length === 0) return path;
    const kept = known.has(rest[0].toLowerCase()) ? [rest[0]] : [];
    const masked = kept.length === rest.length ? [] : [WEBHOOK_TOKEN_MASK];
    return `/${[...segments.slice(0, at + base.length), ...kept, ...masked].join('/')}`;
  };
}
