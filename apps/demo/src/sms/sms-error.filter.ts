import { Catch } from '@nestjs/common';
import { SmsError, SmsExceptionFilter } from 'nestjs-sms';
import { RequestBodyError } from '../http/body-parsers';

/**
 * The library's `SmsExceptionFilter` (400 bad input, 422 refused, 429 limits with `Retry-After`, 503
 * provider cannot send, 502 unknown outcome: do not resend), with one addition: a body the demo's
 * parsers refused (`RequestBodyError`) answers its own status (400, 413, 415).
 */
@Catch(SmsError)
export class DemoErrorFilter extends SmsExceptionFilter {
  protected override status(error: SmsError): number {
    return error instanceof RequestBodyError ? error.status : super.status(error);
  }
}
