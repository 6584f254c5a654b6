import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

/**
 * One log line per HTTP request, when its response ends: method, path (no query string: it may
 * carry message ids), status and duration. Bodies are never logged (they hold phone numbers).
 */
@Injectable()
export class RequestLoggerMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs,
      };
      if (res.statusCode >= 500) this.logger.warn(line);
      else this.logger.log(line);
    });
    next();
  }
}
