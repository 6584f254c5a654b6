import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RECONCILE_HINT, SmsError, type SmsErrorCode, SmsValidationError } from '../errors';
import { type SendAttempt } from '../interfaces/results.interface';

/** The body `SmsExceptionFilter` answers with: the error's data, never a credential. */
export interface SmsErrorBody {
  statusCode: number;
  code: SmsErrorCode;
  outcome: SmsError['outcome'];
  failure: SmsError['failure'];
  message: string;
  retryable: boolean;
  provider?: string;
  providerCode?: string | number;
  providerMessage?: string;
  /** Also sent as the `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Every problem of the input (`SmsValidationError`). */
  details?: Array<{ field: string; message: string }>;
  /** Every provider tried (failover). */
  attempts?: SendAttempt[];
  /** Present (`true`) when the outcome is unknown: reconcile, do not resend. */
  mayHaveBeenSent?: true;
}

/** Codes of input the caller can fix: 400. */
const BAD_INPUT: ReadonlySet<SmsErrorCode> = new Set<SmsErrorCode>([
  'VALIDATION',
  'INVALID_PHONE',
  'TEXT_TOO_LONG',
  'UNSUPPORTED',
]);

/** Refusals that a later try may pass: 429 with `Retry-After`. */
const LIMITS: ReadonlySet<SmsErrorCode> = new Set<SmsErrorCode>([
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'SPEND_LIMIT',
]);

/**
 * The HTTP status of an `SmsError`:
 *
 * | error | status |
 * | --- | --- |
 * | outcome `unknown` (the message may have been sent) | 502, body says not to resend |
 * | `SmsValidationError`, `VALIDATION`, `INVALID_PHONE`, `TEXT_TOO_LONG`, `UNSUPPORTED` | 400 |
 * | `RATE_LIMITED`, `LIMIT_EXCEEDED`, `SPEND_LIMIT` | 429 with `Retry-After` |
 * | `CAPTCHA_FAILED` | 403 |
 * | a provider that cannot send: failure `unavailable` or `account` | 503 (with `Retry-After` when known) |
 * | any other refusal (stop list, content, no route) | 422 |
 */
export function smsErrorStatus(error: SmsError): number {
  if (error.outcome === 'unknown') return HttpStatus.BAD_GATEWAY;
  if (error instanceof SmsValidationError || BAD_INPUT.has(error.code)) return HttpStatus.BAD_REQUEST;
  if (LIMITS.has(error.code)) return HttpStatus.TOO_MANY_REQUESTS;
  if (error.code === 'CAPTCHA_FAILED') return HttpStatus.FORBIDDEN;
  if (error.failure === 'unavailable' || error.failure === 'account') return HttpStatus.SERVICE_UNAVAILABLE;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

/** The body `SmsExceptionFilter` answers for an error, with the status it answers. */
export function smsErrorBody(error: SmsError, statusCode = smsErrorStatus(error)): SmsErrorBody {
  const unknown = error.outcome === 'unknown';
  const body: SmsErrorBody = {
    statusCode,
    code: error.code,
    outcome: error.outcome,
    failure: error.failure,
    message:
      unknown && !error.message.includes(RECONCILE_HINT)
        ? `${error.message}. ${RECONCILE_HINT}`
        : error.message,
    retryable: error.retryable,
  };
  if (error.provider !== undefined) body.provider = error.provider;
  if (error.providerCode !== undefined) body.providerCode = error.providerCode;
  if (error.providerMessage !== undefined) body.providerMessage = error.providerMessage;
  if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = Math.ceil(error.retryAfterSeconds);
  if (error instanceof SmsValidationError) body.details = error.details;
  if (error.attempts !== undefined) body.attempts = error.attempts;
  if (unknown) body.mayHaveBeenSent = true;
  return body;
}

/**
 * Answers every `SmsError` thrown by a route with its HTTP status (see `smsErrorStatus`) and
 * `SmsErrorBody`, through the platform-neutral `HttpAdapterHost` (tested on Express). Errors of 5xx
 * statuses are logged at warn level, as their JSON (which never holds a credential).
 *
 * @example
 * // per controller
 * @UseFilters(SmsExceptionFilter)
 * @Controller('sms')
 * export class SmsController {}
 *
 * // or for the whole application
 * app.useGlobalFilters(new SmsExceptionFilter(app.get(HttpAdapterHost)));
 *
 * Extend it and override `status` to answer some errors of your own differently.
 */
@Catch(SmsError)
export class SmsExceptionFilter implements ExceptionFilter<SmsError> {
  private readonly logger = new Logger('SmsExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: SmsError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const response: unknown = host.switchToHttp().getResponse();
    const { httpAdapter } = this.adapterHost;
    const body = smsErrorBody(error, this.status(error));
    if (body.retryAfterSeconds !== undefined) {
      httpAdapter.setHeader(response, 'Retry-After', String(body.retryAfterSeconds));
    }
    if (body.statusCode >= 500) this.logger.warn({ status: body.statusCode, error: error.toJSON() });
    httpAdapter.reply(response, body, body.statusCode);
  }

  /** The HTTP status of an error; `smsErrorStatus` unless a subclass says otherwise. */
  protected status(error: SmsError): number {
    return smsErrorStatus(error);
  }
}
