import { WebhookTokens } from './webhook-tokens';

describe('WebhookTokens', () => {
  const tokens = new WebhookTokens(['First-T0ken-0123456', 'Second-T0ken-654321']);

  it('accepts each configured token', () => {
    expect(tokens.matches('First-T0ken-0123456')).toBe(true);
    expect(tokens.matches('Second-T0ken-654321')).toBe(true);
  });

  it('refuses anything else, prefixes and extensions included', () => {
    for (const candidate of [
      '',
      'First-T0ken-012345',
      'First-T0ken-01234567',
      'first-t0ken-0123456',
      'x'.repeat(5000),
    ]) {
      expect(tokens.matches(candidate)).toBe(false);
    }
  });
});
