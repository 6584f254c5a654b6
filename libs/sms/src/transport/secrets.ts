/**
 * Removes every configured secret from a text, and cuts it short: for excerpts of provider answers
 * that go into error messages.
 */
export function redact(text: string, secrets: readonly string[], maxLength = 120): string {
  let out = text.length > maxLength * 4 ? text.slice(0, maxLength * 4) : text;
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join('[redacted]');
    const encodings = new Set([
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ]);
    for (const encoded of encodings) {
      if (encoded !== secret && encoded.length >= 3) out = out.split(encoded).join('[redacted]');
    }
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > maxLength ? `${out.slice(0, maxLength)}…` : out;
}
