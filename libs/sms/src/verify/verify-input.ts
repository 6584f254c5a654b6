import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SmsValidationError } from '../errors';
import { checkClientIp } from '../message/client-ip';
import { type SmsVerifyCheckInput, type SmsVerifyStartInput } from './sms-verify.interfaces';
import { type ResolvedVerifyOptions } from './verify-options';
import { type SmsVerifyLocale } from './verify-options.interface';

const MAX_TOKEN_LENGTH = 8192;

/** The fields of a start, checked before the captcha and the counters see them. */
export function validateStart(
  input: SmsVerifyStartInput,
  options: ResolvedVerifyOptions,
  providers: readonly string[],
) {
  const problems: Array<{ field: string; message: string }> = [];
  const { to, clientIp, captchaToken, locale, provider } = input ?? ({} as SmsVerifyStartInput);
  if (typeof to !== 'string' || to.trim() === '' || to.length > 64) {
    problems.push({ field: 'to', message: 'must be a phone number' });
  }
  // The check SmsService.send makes, here before the captcha and the counters see the address.
  const ip = clientIp === undefined ? undefined : checkClientIp(clientIp);
  if (ip && !ip.ok) problems.push({ field: 'clientIp', message: ip.problem });
  if (
    captchaToken !== undefined &&
    (typeof captchaToken !== 'string' || captchaToken.length === 0 || captchaToken.length > MAX_TOKEN_LENGTH)
  ) {
    problems.push({
      field: 'captchaToken',
      message: `must be a token of at most ${MAX_TOKEN_LENGTH} characters`,
    });
  }
  if (locale !== undefined && locale !== 'ru' && locale !== 'en') {
    problems.push({ field: 'locale', message: 'must be "ru" or "en"' });
  }
  if (provider !== undefined && !providers.includes(provider)) {
    problems.push({ field: 'provider', message: 'must name a configured provider' });
  }
  if (problems.length > 0) throw new SmsValidationError(problems);
  return {
    to,
    clientIp: ip?.ok ? ip.address : undefined,
    captchaToken,
    provider,
    locale: (locale ?? options.locale) as SmsVerifyLocale,
  };
}

/** The fields of a check: the code, and the verification by id or by number. */
export function validateCheck(input: SmsVerifyCheckInput, options: ResolvedVerifyOptions) {
  const { id, to, code } = input ?? ({} as SmsVerifyCheckInput);
  const problems: Array<{ field: string; message: string }> = [];
  const digits = options.codeLength;
  if (typeof code !== 'string' || code.length !== digits || !/^\d+$/.test(code)) {
    problems.push({ field: 'code', message: `must be ${digits} digits` });
  }
  let ref: { id: string } | { to: string } | undefined;
  if (typeof id === 'string' && id.length > 0 && id.length <= 100 && to === undefined) ref = { id };
  else if (typeof to === 'string' && id === undefined) {
    ref = { to: parseNumber(to, options.countries).number.slice(1) };
  } else problems.push({ field: 'id', message: 'give the verification id or the number (to), not both' });
  if (problems.length > 0 || !ref) throw new SmsValidationError(problems);
  return { ref, code };
}

/** The number parsed with the full metadata; digits only with the country code are taken too. */
export function parseNumber(to: string, countries: readonly CountryCode[]) {
  const text = to.length <= 64 ? to.trim() : '';
  let parsed = parsePhoneNumberFromString(text, {
    defaultCountry: countries[0],
    extract: false,
  });
  if (!parsed?.isValid() && /^\d{10,15}$/.test(text)) {
    parsed = parsePhoneNumberFromString(`+${text}`, { extract: false });
  }
  if (!parsed?.isValid() || parsed.ext) {
    throw new SmsValidationError([{ field: 'to', message: 'must be a valid phone number' }]);
  }
  return parsed;
}
