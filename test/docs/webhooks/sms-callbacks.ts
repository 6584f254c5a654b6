import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SmsWebhooksService } from 'nestjs-sms';

@Injectable()
export class SmsCallbacks implements OnApplicationBootstrap {
  private readonly logger = new Logger(SmsCallbacks.name);

  constructor(private readonly webhooks: SmsWebhooksService) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const results = await this.webhooks.registerCallbacks(); // [{ provider: 'main', result: 'added', removed: 0 }]
      this.logger.log(`SMS.ru callback URLs: ${JSON.stringify(results)}`);
    } catch (e) {
      // SMS.ru did not answer: the app starts anyway, and the next start registers the URL.
      this.logger.warn(`SMS.ru callback URLs not registered: ${e instanceof Error ? e.message : e}`);
    }
  }
}
