import { SmsError } from 'nestjs-sms';
import { type SmsCaptchaVerifier } from 'nestjs-sms/verify';

/** Cloudflare Turnstile, in the shape of the built-in verifiers. */
export function turnstile(options: { secret: string; url?: string; timeoutMs?: number }): SmsCaptchaVerifier {
  const url = options.url ?? 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
  return {
    name: 'turnstile',
    async verify(token, { clientIp }) {
      const body = new URLSearchParams({ secret: options.secret, response: token });
      if (clientIp) body.set('remoteip', clientIp);
      const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
      const res = await fetch(url, { method: 'POST', body, signal }).catch(() => undefined);
      if (!res?.ok) {
        // A typed error: start fails with UNAVAILABLE and sends nothing.
        throw new SmsError('Turnstile did not answer; no code was sent', {
          code: 'UNAVAILABLE',
          failure: 'unavailable',
        });
      }
      return ((await res.json()) as { success?: boolean }).success === true;
    },
  };
}
