import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { type NextFunction, type Request, type Response } from 'express';
import { smsConfig } from '../config/sms.config';
import { createWebhookPathMask } from './webhook-path.mask';

/**
 * One log line per HTTP request, when its response ends: method, path (no query string: it may
 * carry message ids), status and duration. Bodies are never logged (they hold phone numbers), and
 * the token of the delivery-report URLs is masked (`/sms/webhooks/main/***`), as is any path segment
 * that holds a configured token or looks like one. `configureApp` mounts
 * it ahead of every other middleware, so that the provider callbacks answered by the library's webhook
 * endpoints are logged too.
 */
@Injectable()
export class RequestLoggerMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');
  private readonly mask: (path: string) => string;

  constructor(@Inject(smsConfig.KEY) sms: ConfigType<typeof smsConfig>) {
    const token = sms.webhooks?.token;
    this.mask = createWebhookPathMask(
      sms.webhooks?.path,
      Object.keys(sms.providers),
      token === undefined ? [] : ([] as string[]).concat(token),
    );
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const line = {
        method: req.method,
        path: this.mask(req.originalUrl.split('?')[0]),
        status: res.statusCode,
        durationMs,
      };
      if (res.statusCode >= 500) this.logger.warn(line);
      else this.logger.log(line);
    });
    next();
  }
}
