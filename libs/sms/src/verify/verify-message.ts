import { SmsConfigurationError } from '../errors';
import { countSegments } from '../message/segments';
import { type SmsVerifyLocale, type SmsVerifyMessageOptions } from './verify-options.interface';

/** The built-in texts of the code message. */
export const SMS_VERIFY_TEMPLATES: Readonly<Record<SmsVerifyLocale, string>> = {
  ru: 'Код: {code}. Действует {ttl} мин.',
  en: 'Your code: {code}. Valid for {ttl} min.',
};

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const APP_HASH = /^[A-Za-z0-9+/]{11}$/;

/** Builds the code message of each language; every one is checked to fit one SMS at start-up. */
export class VerifyMessage {
  private readonly templates: Record<SmsVerifyLocale, string>;
  private readonly webOtpDomain?: string;
  private readonly androidAppHash?: string;

  constructor(
    options: SmsVerifyMessageOptions,
    private readonly ttlMinutes: number,
    codeLength: number,
  ) {
    this.templates = { ...SMS_VERIFY_TEMPLATES, ...options.templates };
    const { webOtpDomain, androidAppHash } = options;
    if (webOtpDomain !== undefined && (typeof webOtpDomain !== 'string' || !DOMAIN.test(webOtpDomain))) {
      throw new SmsConfigurationError(
        'verify: "message.webOtpDomain" must be a host name such as "example.com"',
      );
    }
    if (
      androidAppHash !== undefined &&
      (typeof androidAppHash !== 'string' || !APP_HASH.test(androidAppHash))
    ) {
      throw new SmsConfigurationError('verify: "message.androidAppHash" must be the 11-character app hash');
    }
    this.webOtpDomain = webOtpDomain;
    this.androidAppHash = androidAppHash;
    const widest = '0'.repeat(codeLength);
    for (const [locale, template] of Object.entries(this.templates)) {
      if (typeof template !== 'string' || !template.includes('{code}')) {
        throw new SmsConfigurationError(`verify: the "${locale}" template must contain {code}`);
      }
      const info = countSegments(this.render(locale as SmsVerifyLocale, widest));
      if (info.segments !== 1) {
        throw new SmsConfigurationError(
          `verify: the "${locale}" code message takes ${info.segments} SMS (${info.units} ${info.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units'}, ${info.encoding}; ` +
            `one SMS holds ${info.encoding === 'GSM-7' ? 160 : 70}): shorten the template or the WebOTP domain`,
        );
      }
    }
  }

  /** The message for `code`: the text, the app hash line, the WebOTP line last. */
  render(locale: SmsVerifyLocale, code: string): string {
    const lines = [
      this.templates[locale].replaceAll('{code}', code).replaceAll('{ttl}', String(this.ttlMinutes)),
    ];
    if (this.androidAppHash) lines.push(this.androidAppHash);
    if (this.webOtpDomain) lines.push(`@${this.webOtpDomain} #${code}`);
    return lines.join('\n');
  }
}
