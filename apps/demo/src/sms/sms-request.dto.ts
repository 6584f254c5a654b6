import { type ApiPropertyOptions } from '@nestjs/swagger';
import {
  BatchItemDto,
  GetBalanceDto,
  GetStatusDto,
  SendBatchDto,
  SendSmsDto,
  type SendOptionsDto,
} from 'nestjs-sms';
import { ApiFields, CommaSeparated } from './api-fields.decorator';

const PHONE = {
  type: 'string',
  example: '+7 925 507-06-02',
  description: 'A phone number in any common notation',
} as const;
const PROVIDER: ApiPropertyOptions = {
  type: 'string',
  required: false,
  example: 'dev',
  description: 'A configured provider name; default the first one (or `SMS_DEFAULT_PROVIDER`)',
};

/** The documentation of the send options, shared by the send, batch and cost bodies. */
const SEND_OPTIONS: { [K in keyof SendOptionsDto]-?: ApiPropertyOptions } = {
  sender: {
    type: 'string',
    required: false,
    pattern: '^(?:[A-Za-z0-9.-]{3,11}|\\d{6,14})$',
    example: 'MyShop',
    description:
      'Sender name (3–11 of A-Za-z0-9.-) or number (6–14 digits); the provider default when absent',
  },
  sendAt: {
    type: 'string',
    format: 'date-time',
    required: false,
    description: 'Deferred sending (ISO 8601); at most a minute in the past',
  },
  ttlMinutes: {
    type: 'integer',
    minimum: 1,
    maximum: 1440,
    required: false,
    description: 'Give up delivering after this many minutes',
  },
  test: {
    type: 'boolean',
    required: false,
    description: "The provider's test mode: nothing delivered, nothing charged",
  },
  clientIp: {
    type: 'string',
    required: false,
    example: '77.88.8.8',
    description: "The end user's IP address",
  },
  translit: { type: 'boolean', required: false, description: 'Transliterate Cyrillic to Latin (SMS.ru)' },
  daytime: {
    type: 'boolean',
    required: false,
    description: "Hold messages during the recipient's night (SMS.ru)",
  },
  provider: PROVIDER,
  idempotencyKey: {
    type: 'string',
    maxLength: 200,
    required: false,
    example: 'order-1042-shipped',
    description: "The same key returns the first call's result without sending again",
  },
};

const TEXT: ApiPropertyOptions = {
  type: 'string',
  example: 'Your code: 4821',
  description:
    'The text; GSM-7 takes 160 characters in one SMS (153 a part), UCS-2 (Cyrillic) 70 (67 a part)',
};

/** `POST /sms` and `POST /sms/cost`: one text to one number or many. */
@ApiFields<SendSmsDto>({
  ...SEND_OPTIONS,
  to: {
    oneOf: [PHONE, { type: 'array', items: PHONE, minItems: 1, maxItems: 10_000 }],
    example: '+7 925 507-06-02',
    description: 'One number or a list of them',
  },
  text: TEXT,
})
export class SendSmsRequest extends SendSmsDto {}

/** One message of a batch. */
@ApiFields<BatchItemDto>({ to: PHONE, text: TEXT })
export class BatchItemRequest extends BatchItemDto {}

/** `POST /sms/batch`: a different text to each number. */
@ApiFields<SendBatchDto>({
  ...SEND_OPTIONS,
  items: { type: [BatchItemRequest], minItems: 1, maxItems: 10_000, description: 'The messages, in order' },
})
export class SendBatchRequest extends SendBatchDto {}

/** `GET /sms/status`: message ids, repeated (`?ids=a&ids=b`) or comma-separated (`?ids=a,b`). */
@CommaSeparated('ids')
@ApiFields<GetStatusDto>({
  ids: {
    type: 'array',
    items: { type: 'string' },
    minItems: 1,
    maxItems: 1000,
    example: ['dev-1', 'dev-2'],
    description: 'Message ids as `send` returned them, comma-separated or repeated',
  },
  provider: PROVIDER,
})
export class GetStatusQuery extends GetStatusDto {}

/** `GET /sms/balance`. */
@ApiFields<GetBalanceDto>({ provider: PROVIDER })
export class GetBalanceQuery extends GetBalanceDto {}
