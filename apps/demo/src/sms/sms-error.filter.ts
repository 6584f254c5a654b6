import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { type Response } from 'express';
import { RECONCILE_HINT, SmsError, type SmsErrorCode, SmsValidationError } from 'nestjs-sms';
import { RequestBodyError } from '../http/body-parsers';
import { type ErrorResponse } from './sms-response.dto';

/** HTTP status of each error code whose outcome is `not_sent`; an `unknown` outcome is always 504. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<SmsErrorCode, number>> = {
  VALIDATION: HttpStatus.BAD_REQUEST,
  INVALID_PHONE: HttpStatus.BAD_REQUEST,
  TEXT_TOO_LONG: HttpStatus.BAD_REQUEST,
  UNSUPPORTED: HttpStatus.BAD_REQUEST,
  SENDER_NOT_ALLOWED: HttpStatus.UNPROCESSABLE_ENTITY,
  STOP_LIST: HttpStatus.UNPROCESSABLE_ENTITY,
  CONTENT_REJECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  NO_ROUTE: HttpStatus.UNPROCESSABLE_ENTITY,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  SPEND_LIMIT: HttpStatus.TOO_MANY_REQUESTS,
  CAPTCHA_FAILED: HttpStatus.FORBIDDEN,
  COUNTRY_NOT_ALLOWED: HttpStatus.UNPROCESSABLE_ENTITY,
  LIMIT_EXCEEDED: HttpStatus.TOO_MANY_REQUESTS,
  AUTH: HttpStatus.BAD_GATEWAY,
  INSUFFICIENT_FUNDS: HttpStatus.BAD_GATEWAY,
  BAD_RESPONSE: HttpStatus.BAD_GATEWAY,
  UNKNOWN: HttpStatus.BAD_GATEWAY,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
};

/**
 * Maps `SmsError` to HTTP: 400 for bad input, 422 for a message the provider will not take, 429
 * with `Retry-After` for limits, 502 when the provider refuses the account, 503 when it is down
 * (not sent: try again), 504 when the outcome is unknown (the message may have been sent:
 * reconcile, do not resend). The body carries the error's data, never a credential. A body refused
 * by the parsers (`RequestBodyError`) answers its own status (400, 413, 415), like any other bad input
 * without an error-level log line.
 */
@Catch(SmsError)
export class SmsErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('SmsErrors');

  catch(error: SmsError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const unknown = error.outcome === 'unknown';
    const status = unknown
      ? HttpStatus.GATEWAY_TIMEOUT
      : error instanceof RequestBodyError
        ? error.status
        : (HTTP_STATUS_BY_CODE[error.code] ?? HttpStatus.BAD_GATEWAY);
    const body: ErrorResponse = {
      statusCode: status,
      code: error.code,
      outcome: error.outcome,
      message:
        unknown && !error.message.includes(RECONCILE_HINT)
          ? `${error.message}. ${RECONCILE_HINT}`
          : error.message,
      retryable: error.retryable,
    };
    if (error.provider !== undefined) body.provider = error.provider;
    if (error.providerCode !== undefined) body.providerCode = error.providerCode;
    if (error.providerMessage !== undefined) body.providerMessage = error.providerMessage;
    if (error.retryAfterSeconds !== undefined) {
      body.retryAfterSeconds = Math.ceil(error.retryAfterSeconds);
      res.setHeader('Retry-After', String(body.retryAfterSeconds));
    }
    if (error instanceof SmsValidationError) body.details = error.details;
    if (error.attempts !== undefined) body.attempts = error.attempts;
    if (unknown) body.mayHaveBeenSent = true;
    if (status >= 500) this.logger.warn({ status, error: error.toJSON() });
    res.status(status).json(body);
  }
}
