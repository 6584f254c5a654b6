/** Injection token of the raw `SmsHealthModule` options (internal). */
export const SMS_HEALTH_OPTIONS = 'SMS:HEALTH_OPTIONS';
