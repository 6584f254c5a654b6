import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { type Response } from 'express';
import { SmsError, SmsValidationError, type SmsErrorCode } from 'nestjs-sms';

const STATUS_BY_CODE: Partial<Record<SmsErrorCode, number>> = {
  VALIDATION: HttpStatus.BAD_REQUEST,
  INVALID_PHONE: HttpStatus.BAD_REQUEST,
  TEXT_TOO_LONG: HttpStatus.BAD_REQUEST,
  UNSUPPORTED: HttpStatus.BAD_REQUEST,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  AUTH: HttpStatus.BAD_GATEWAY,
  INSUFFICIENT_FUNDS: HttpStatus.BAD_GATEWAY,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
};

/** Maps `SmsError` to HTTP: 400 for bad input, 429, 502/503 for the provider, 504 when the outcome is unknown. */
@Catch(SmsError)
export class SmsErrorFilter implements ExceptionFilter {
  catch(error: SmsError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status =
      error.outcome === 'unknown' ? HttpStatus.GATEWAY_TIMEOUT : (STATUS_BY_CODE[error.code] ?? HttpStatus.BAD_GATEWAY);
    if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
    res.status(status).json({
      statusCode: status,
      code: error.code,
      outcome: error.outcome,
      message: error.message,
      ...(error instanceof SmsValidationError ? { details: error.details } : {}),
      ...(error.outcome === 'unknown' ? { mayHaveBeenSent: true } : {}),
    });
  }
}
