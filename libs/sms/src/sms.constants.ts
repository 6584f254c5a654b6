/** Injection token of the raw module options (internal). */
export const SMS_MODULE_OPTIONS = 'SMS:MODULE_OPTIONS';
/** Logger context of every log line the library writes. */
export const SMS_LOGGER_CONTEXT = 'Sms';
