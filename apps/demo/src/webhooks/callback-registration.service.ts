import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { SmsError, SmsWebhooksService } from 'nestjs-sms';
import { smsConfig } from '../config/sms.config';

/**
 * Registers the callback URL of each SMS.ru provider with SMS.ru when the application starts, if
 * `SMS_WEBHOOK_PUBLIC_URL` is set (SMSPilot needs none: its URL goes with every send). Safe at every
 * start: a URL already registered stays, this provider's URLs with an older token are deleted. A failure
 * is logged and the demo starts anyway. The URLs hold the token: they are never logged.
 */
@Injectable()
export class CallbackRegistrationService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SmsCallbacks');

  constructor(
    private readonly webhooks: SmsWebhooksService,
    @Inject(smsConfig.KEY) private readonly config: ConfigType<typeof smsConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.webhooks?.publicUrl) return;
    try {
      for (const registration of await this.webhooks.registerCallbacks())
        this.logger.log({ msg: 'SMS.ru callback URL', ...registration });
    } catch (error) {
      this.logger.warn({
        msg: 'could not register the SMS.ru callback URLs: delivery reports of SMS.ru may not arrive',
        error: error instanceof SmsError ? error.toJSON() : String(error),
      });
    }
  }
}
