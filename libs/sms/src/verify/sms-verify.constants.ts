/** Injection token of the raw `SmsVerifyModule` options (internal). */
export const SMS_VERIFY_OPTIONS = 'SMS:VERIFY_OPTIONS';
/** Logger context of the verification log lines. */
export const SMS_VERIFY_LOGGER_CONTEXT = 'SmsVerify';
