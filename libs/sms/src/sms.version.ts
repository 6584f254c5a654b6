/**
 * The package's version, for the OpenTelemetry instrumentation scope. A constant rather than a read
 * of `package.json`, which is not beside the code in every build (an application that compiles the
 * library's sources with its own, as the demo does); `sms.version.spec.ts` keeps it equal to
 * `libs/sms/package.json`.
 */
export const SMS_PACKAGE_VERSION = '0.1.0';
