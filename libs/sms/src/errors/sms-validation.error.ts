import { SmsError } from './sms.error';

/** One problem found in the input. `field` is a path such as `to[2]` or `items[0].text`. */
export interface SmsValidationDetail {
  field: string;
  message: string;
}

/**
 * Invalid input, found before anything went out on the network (code `VALIDATION`,
 * outcome `not_sent`). `details` lists every problem, not just the first.
 */
export class SmsValidationError extends SmsError {
  readonly details: SmsValidationDetail[];

  constructor(details: SmsValidationDetail[], provider?: string) {
    super(`Invalid SMS input: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, {
      code: 'VALIDATION',
      provider,
    });
    this.details = details;
  }
}
