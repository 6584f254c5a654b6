import { inspect } from 'node:util';
import { SmsConfigurationError } from './sms-configuration.error';
import { SMS_ERROR_MESSAGES } from './sms-error-messages';
import { type SmsErrorCode } from './sms-error-code';
import { SmsValidationError } from './sms-validation.error';
import { SmsError } from './sms.error';

const ALL_CODES: SmsErrorCode[] = [
  'VALIDATION',
  'AUTH',
  'INSUFFICIENT_FUNDS',
  'INVALID_PHONE',
  'NO_ROUTE',
  'TEXT_TOO_LONG',
  'SENDER_NOT_ALLOWED',
  'STOP_LIST',
  'CONTENT_REJECTED',
  'LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'TIMEOUT',
  'BAD_RESPONSE',
  'UNSUPPORTED',
  'CAPTCHA_FAILED',
  'COUNTRY_NOT_ALLOWED',
  'SPEND_LIMIT',
  'UNKNOWN',
];

describe('SmsError', () => {
  it('carries its data, with not_sent and not retryable by default', () => {
    const error = new SmsError('The account balance is too low', {
      code: 'INSUFFICIENT_FUNDS',
      provider: 'main',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SmsError);
    expect(error.name).toBe('SmsError');
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      provider: 'main',
      outcome: 'not_sent',
      retryable: false,
    });
    expect(error.stack).toContain('SmsError: The account balance is too low');
  });

  it('serializes to exactly its fields, the provider text kept apart', () => {
    const error = new SmsError('The provider did not answer in time', {
      code: 'TIMEOUT',
      provider: 'main',
      providerCode: 500,
      providerMessage: 'Ошибка на сервере',
      outcome: 'unknown',
      httpStatus: 504,
      retryAfterSeconds: 30,
    });
    expect(error.toJSON()).toEqual({
      name: 'SmsError',
      message: 'The provider did not answer in time',
      code: 'TIMEOUT',
      provider: 'main',
      providerCode: 500,
      providerMessage: 'Ошибка на сервере',
      failure: 'unknown',
      retryable: false,
      outcome: 'unknown',
      httpStatus: 504,
      retryAfterSeconds: 30,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  it('leaves absent fields out and never serializes the stack or a cause', () => {
    const error = new SmsError('Failed', { code: 'UNKNOWN' });
    Object.defineProperty(error, 'cause', {
      value: { config: { data: 'api_id=secret' } },
      enumerable: false,
    });
    expect(Object.keys(error.toJSON()).sort()).toEqual([
      'code',
      'failure',
      'message',
      'name',
      'outcome',
      'retryable',
    ]);
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(JSON.stringify(error)).not.toContain('at ');
  });

  it('shows its code when printed', () => {
    const error = new SmsError('Failed', { code: 'UNAVAILABLE', provider: 'main' });
    expect(inspect(error)).toContain("code: 'UNAVAILABLE'");
  });

  it('prints its stack and the fields of toJSON, never a cause however it was attached', () => {
    const axiosLike = { config: { data: 'api_id=s3cret-id&password=s3cret-pw' } };
    const error = new SmsError('Failed', { code: 'UNAVAILABLE', provider: 'main' });
    error.cause = axiosLike;
    expect(error.cause).toBeUndefined();
    expect(Object.keys(error)).not.toContain('cause');
    const defined = new SmsError('Failed', { code: 'TIMEOUT', outcome: 'unknown' });
    Object.defineProperty(defined, 'cause', { value: axiosLike, enumerable: true });
    for (const e of [error, defined]) {
      for (const printed of [inspect(e), inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e)])
        expect(printed).not.toContain('s3cret');
      expect(inspect(e)).toContain(e.stack!);
      for (const [key, value] of Object.entries(e.toJSON()).filter(([k]) => k !== 'name' && k !== 'message'))
        expect(inspect(e)).toContain(`${key}: ${inspect(value)}`);
    }
  });
});

describe('SmsValidationError', () => {
  const details = [
    { field: 'to[1]', message: 'is not a valid phone number' },
    { field: 'text', message: 'must be a non-empty text' },
  ];

  it('is an SmsError with code VALIDATION, not sent, not retryable', () => {
    const error = new SmsValidationError(details, 'main');
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toBeInstanceOf(SmsValidationError);
    expect(error.name).toBe('SmsValidationError');
    expect(error).toMatchObject({
      code: 'VALIDATION',
      outcome: 'not_sent',
      retryable: false,
      provider: 'main',
    });
  });

  it('lists every problem in its message and details', () => {
    const error = new SmsValidationError(details);
    expect(error.message).toBe(
      'Invalid SMS input: to[1]: is not a valid phone number; text: must be a non-empty text',
    );
    expect(error.toJSON()).toEqual({
      name: 'SmsValidationError',
      message: error.message,
      code: 'VALIDATION',
      failure: 'refused',
      outcome: 'not_sent',
      retryable: false,
      details,
    });
  });
});

describe('SmsConfigurationError', () => {
  it('is an SmsError that says it comes from the module configuration', () => {
    const error = new SmsConfigurationError('provider "main": "apiId" is required');
    expect(error).toBeInstanceOf(SmsError);
    expect(error.name).toBe('SmsConfigurationError');
    expect(error.message).toBe('SmsModule configuration: provider "main": "apiId" is required');
    expect(error.code).toBe('VALIDATION');
  });
});

describe('SMS_ERROR_MESSAGES', () => {
  it('has an English sentence for every code', () => {
    expect(Object.keys(SMS_ERROR_MESSAGES).sort()).toEqual([...ALL_CODES].sort());
    for (const code of ALL_CODES) expect(SMS_ERROR_MESSAGES[code]).toMatch(/^[A-Z][A-Za-z ,;.'-]+$/);
  });
});
