import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type BalanceResult,
  type CostItem,
  type CostResult,
  type DeliveryStatus,
  type MessageStatus,
  type SendAttempt,
  type SendResult,
  type SentMessage,
  type SentMessageError,
  type SmsErrorBody,
  type SmsErrorCode,
  type SmsFailureClass,
  type SmsOutcome,
} from 'nestjs-sms';

/** Every value of a union, from a record that must name each one (so the lists cannot fall behind). */
const values = <T extends string>(all: Record<T, true>): T[] => Object.keys(all) as T[];

const STATUSES = values<DeliveryStatus>({
  queued: true,
  scheduled: true,
  sent: true,
  delivered: true,
  read: true,
  undelivered: true,
  expired: true,
  rejected: true,
  failed: true,
  not_found: true,
  unknown: true,
});
const CODES = values<SmsErrorCode>({
  VALIDATION: true,
  AUTH: true,
  INSUFFICIENT_FUNDS: true,
  INVALID_PHONE: true,
  NO_ROUTE: true,
  TEXT_TOO_LONG: true,
  SENDER_NOT_ALLOWED: true,
  STOP_LIST: true,
  CONTENT_REJECTED: true,
  LIMIT_EXCEEDED: true,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  TIMEOUT: true,
  BAD_RESPONSE: true,
  UNSUPPORTED: true,
  CAPTCHA_FAILED: true,
  COUNTRY_NOT_ALLOWED: true,
  SPEND_LIMIT: true,
  UNKNOWN: true,
});
const OUTCOMES = values<SmsOutcome>({ not_sent: true, unknown: true });
const PROVIDER_CODE = {
  oneOf: [{ type: 'string' }, { type: 'number' }],
  description: "The provider's own code",
};

/** Why one recipient was not accepted. */
export class SentMessageErrorResponse implements SentMessageError {
  @ApiProperty({ enum: CODES, enumName: 'SmsErrorCode' })
  code!: SmsErrorCode;
  @ApiPropertyOptional(PROVIDER_CODE)
  providerCode?: string | number;
  @ApiProperty({ example: 'The number is on a stop list' })
  message!: string;
  @ApiPropertyOptional({ description: "The provider's own text" })
  providerMessage?: string;
  @ApiPropertyOptional({ enum: OUTCOMES, enumName: 'SmsOutcome' })
  outcome?: SmsOutcome;
}

/** The result for one recipient. */
export class SentMessageResponse implements SentMessage {
  @ApiProperty({ example: '79255070602', description: 'Digits only, country code first' })
  to!: string;
  @ApiProperty()
  text!: string;
  @ApiProperty({ description: 'Whether the provider took the message' })
  accepted!: boolean;
  @ApiPropertyOptional({ example: 'dev-1' })
  id?: string;
  @ApiProperty({ enum: STATUSES, enumName: 'DeliveryStatus' })
  status!: DeliveryStatus;
  @ApiProperty({ example: 1 })
  segments!: number;
  @ApiPropertyOptional({ description: 'Price in RUB, when the provider tells it' })
  price?: number;
  @ApiPropertyOptional({ type: SentMessageErrorResponse })
  error?: SentMessageErrorResponse;
  @ApiPropertyOptional({ description: 'The provider that handled this recipient' })
  provider?: string;
}

/** One provider tried during a send. */
export class SendAttemptResponse implements SendAttempt {
  @ApiProperty()
  provider!: string;
  @ApiProperty({ enum: ['sent', 'failed', 'skipped'] })
  result!: 'sent' | 'failed' | 'skipped';
  @ApiProperty()
  recipients!: number;
  @ApiPropertyOptional({
    type: 'object',
    properties: { code: { type: 'string' }, outcome: { type: 'string' }, message: { type: 'string' } },
  })
  error?: SendAttempt['error'];
  @ApiProperty()
  durationMs!: number;
}

/** `POST /sms` and `POST /sms/batch`. */
export class SendResultResponse implements SendResult {
  @ApiProperty({ example: 'dev' })
  provider!: string;
  @ApiProperty({
    type: [SentMessageResponse],
    description: 'One entry per distinct recipient, in input order',
  })
  messages!: SentMessageResponse[];
  @ApiPropertyOptional({ description: 'Total cost in RUB, when the provider tells it' })
  cost?: number;
  @ApiPropertyOptional({ description: 'Balance after the send, when the provider tells it' })
  balance?: number;
  @ApiProperty({ type: [SendAttemptResponse] })
  attempts!: SendAttemptResponse[];
}

/** `GET /sms/status`: one entry per id. */
export class MessageStatusResponse implements MessageStatus {
  @ApiProperty({ example: 'dev-1' })
  id!: string;
  @ApiProperty({ example: 'dev' })
  provider!: string;
  @ApiProperty({ enum: STATUSES, enumName: 'DeliveryStatus' })
  status!: DeliveryStatus;
  @ApiProperty({ description: 'True when the status can no longer change' })
  final!: boolean;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], description: "The provider's own status" })
  providerStatus!: string | number;
  @ApiPropertyOptional()
  price?: number;
  @ApiPropertyOptional()
  to?: string;
  @ApiPropertyOptional()
  providerMessage?: string;
}

/** The price of one recipient's message. */
export class CostItemResponse implements CostItem {
  @ApiProperty({ example: '79255070602' })
  to!: string;
  @ApiProperty({ example: 1 })
  segments!: number;
  @ApiPropertyOptional({ example: 0 })
  price?: number;
  @ApiPropertyOptional({ type: SentMessageErrorResponse })
  error?: SentMessageErrorResponse;
}

/** `POST /sms/cost`. */
export class CostResultResponse implements CostResult {
  @ApiProperty({ example: 'dev' })
  provider!: string;
  @ApiProperty({ example: 0 })
  total!: number;
  @ApiProperty({ example: 1 })
  totalSegments!: number;
  @ApiProperty({ enum: ['RUB'] })
  currency!: 'RUB';
  @ApiProperty({ type: [CostItemResponse] })
  messages!: CostItemResponse[];
}

/** `GET /sms/balance`. */
export class BalanceResponse implements BalanceResult {
  @ApiProperty({ example: 'dev' })
  provider!: string;
  @ApiProperty({ example: 0 })
  balance!: number;
  @ApiProperty({ enum: ['RUB'] })
  currency!: 'RUB';
}

/** The body of every error answer (`SmsErrorFilter`). */
export class ErrorResponse implements SmsErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({ enum: CODES, enumName: 'SmsErrorCode' })
  code!: SmsErrorCode;
  @ApiProperty({
    enum: OUTCOMES,
    enumName: 'SmsOutcome',
    description: '`unknown`: the message may have been sent',
  })
  outcome!: SmsOutcome;
  @ApiProperty({
    enum: ['unavailable', 'account', 'refused', 'no_route', 'unknown'],
    enumName: 'SmsFailureClass',
    description: 'What kind of failure: decides retry and failover (see docs/reliability.md)',
  })
  failure!: SmsFailureClass;
  @ApiProperty()
  message!: string;
  @ApiProperty({ description: 'Whether trying again later can succeed' })
  retryable!: boolean;
  @ApiPropertyOptional()
  provider?: string;
  @ApiPropertyOptional(PROVIDER_CODE)
  providerCode?: string | number;
  @ApiPropertyOptional()
  providerMessage?: string;
  @ApiPropertyOptional({ description: 'Also sent as the Retry-After header' })
  retryAfterSeconds?: number;
  @ApiPropertyOptional({
    description: 'Every problem of the input',
    type: 'array',
    items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
  })
  details?: Array<{ field: string; message: string }>;
  @ApiPropertyOptional({ type: [SendAttemptResponse], description: 'Every provider tried (failover)' })
  attempts?: SendAttemptResponse[];
  @ApiPropertyOptional({
    description: 'Present (true) when the outcome is unknown: reconcile, do not resend',
  })
  mayHaveBeenSent?: true;
}
