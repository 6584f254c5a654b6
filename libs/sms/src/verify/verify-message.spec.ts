import { SmsConfigurationError } from '../errors';
import { countSegments } from '../message/segments';
import { generateCode, hashCode, sameHash } from './verify-code';
import { SMS_VERIFY_TEMPLATES, VerifyMessage } from './verify-message';
import { SMS_VERIFY_DEFAULTS, resolveVerifyOptions } from './verify-options';

const SECRET = 'unit-test-secret-0123456789abcdefgh';

describe('verify message', () => {
  it('fills {code} and {ttl} in Russian and English, one SMS each', () => {
    const message = new VerifyMessage({}, 5, 6);
    expect(message.render('ru', '482913')).toBe('Код: 482913. Действует 5 мин.');
    expect(message.render('en', '482913')).toBe('Your code: 482913. Valid for 5 min.');
    for (const template of Object.values(SMS_VERIFY_TEMPLATES)) expect(template).toContain('{code}');
  });

  it('adds the Android app hash line and the WebOTP line last', () => {
    const message = new VerifyMessage(
      { webOtpDomain: 'shop.example.com', androidAppHash: 'FA+9qCX9VSu' },
      5,
      6,
    );
    expect(message.render('en', '482913').split('\n')).toEqual([
      'Your code: 482913. Valid for 5 min.',
      'FA+9qCX9VSu',
      '@shop.example.com #482913',
    ]);
    expect(countSegments(message.render('ru', '482913')).segments).toBe(1);
  });

  it('refuses at start-up a template over one SMS, one without {code}, a bad domain or hash', () => {
    const long = 'Ваш одноразовый код для входа в личный кабинет магазина: {code}. Действует {ttl} мин.';
    expect(() => new VerifyMessage({ templates: { ru: long } }, 5, 6)).toThrow(
      /"ru" code message takes 2 SMS \(\d+ UTF-16 units, UCS-2; one SMS holds 70\)/,
    );
    expect(() => new VerifyMessage({ templates: { en: 'Hello' } }, 5, 6)).toThrow(/must contain \{code\}/);
    expect(() => new VerifyMessage({ webOtpDomain: 'https://x.com' }, 5, 6)).toThrow(SmsConfigurationError);
    expect(() => new VerifyMessage({ androidAppHash: 'short' }, 5, 6)).toThrow(/11-character/);
    // The check counts the widest code: 10 digits with a long WebOTP domain tip the Russian text over.
    expect(
      () => new VerifyMessage({ webOtpDomain: 'accounts.very-long-shop-name.example.com' }, 5, 10),
    ).toThrow(/takes 2 SMS/);
  });
});

describe('verify codes', () => {
  it('are digits of the configured length, spread over every digit', () => {
    const codes = Array.from({ length: 2000 }, () => generateCode(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    const firsts = new Set(codes.map((c) => c[0]));
    expect(firsts.size).toBe(10);
    expect(new Set(codes).size).toBeGreaterThan(1900);
    expect(generateCode(10)).toMatch(/^\d{10}$/);
  });

  it('are kept as an HMAC of the id and the code, compared in constant time', () => {
    const hash = hashCode(SECRET, 'id-1', '123456');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('123456');
    expect(sameHash(hash, hashCode(SECRET, 'id-1', '123456'))).toBe(true);
    expect(sameHash(hash, hashCode(SECRET, 'id-2', '123456'))).toBe(false);
    expect(sameHash(hash, hashCode(`${SECRET}x`, 'id-1', '123456'))).toBe(false);
    expect(sameHash(hash, 'abcd')).toBe(false);
    expect(sameHash('', '')).toBe(false);
  });
});

describe('verify options', () => {
  it('fill in the documented defaults, the countries from the SmsModule defaultCountry', () => {
    const resolved = resolveVerifyOptions({ secret: SECRET }, 'KZ');
    expect(resolved).toMatchObject({
      codeLength: 6,
      ttlMs: 300_000,
      maxAttempts: 5,
      resendCooldownMs: 60_000,
      countries: ['KZ'],
      mobileOnly: true,
      limits: SMS_VERIFY_DEFAULTS.limits,
      pumping: SMS_VERIFY_DEFAULTS.pumping,
      spend: SMS_VERIFY_DEFAULTS.spend,
      locale: 'ru',
    });
    expect(resolveVerifyOptions({ secret: SECRET, pumping: false, spend: false }, 'RU')).toMatchObject({
      pumping: false,
      spend: false,
    });
  });

  it.each([
    [{ secret: 'short' }, /"secret"/],
    [{ secret: SECRET, codeLength: 3 }, /"codeLength" must be a whole number, 4–10/],
    [{ secret: SECRET, codeLength: 11 }, /"codeLength"/],
    [{ secret: SECRET, maxAttempts: 0 }, /"maxAttempts"/],
    [{ secret: SECRET, ttlMs: -1 }, /"ttlMs"/],
    [{ secret: SECRET, resendCooldownGrowth: 0.5 }, /"resendCooldownGrowth"/],
    [{ secret: SECRET, limits: { perIpPerDay: -1 } }, /"limits.perIpPerDay"/],
    [{ secret: SECRET, countries: ['XX'] }, /"countries"/],
    [{ secret: SECRET, countries: [] }, /"countries"/],
    [{ secret: SECRET, pumping: { maxStarts: 0 } }, /"pumping.maxStarts"/],
    [{ secret: SECRET, spend: { perDayRub: 0 } }, /"spend.perDayRub"/],
    [{ secret: SECRET, message: { locale: 'de' } }, /"message.locale"/],
    [{ secret: SECRET, captcha: { verifier: {} } }, /"captcha.verifier"/],
  ])('refuse %j', (options, message) => {
    expect(() => resolveVerifyOptions(options as never, 'RU')).toThrow(message);
  });
});
