// #region options
import { type SmsModuleOptions } from 'nestjs-sms';
import { acmeDriver } from './acme.driver';

/** Acme as the main provider, the memory provider as its failover; delivery reports on. */
export function smsOptions(acmeUrl: string, token: string): SmsModuleOptions {
  return {
    providers: {
      acme: { driver: acmeDriver, token, baseUrl: acmeUrl },
      backup: { driver: 'memory' },
    },
    failover: ['acme', 'backup'],
    webhooks: { path: 'sms/webhooks', token: 'webhook-token-0123456789' },
  };
}
// #endregion options
