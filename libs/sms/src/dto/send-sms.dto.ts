import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { type BatchItem, type SendInput, type SendOptions } from '../interfaces';
import { SENDER_PATTERN, SENDER_RULE } from '../message/normalize';
import { IsSmsClientIp } from './is-sms-client-ip.decorator';
import { IsSmsPhone, IsSmsRecipients } from './is-sms-phone.decorator';
import { IsSmsText } from './is-sms-text.decorator';

/** Options shared by the send DTOs. */
export class SendOptionsDto implements SendOptions {
  /** Sender name (3–11 of `A-Za-z0-9.-`) or number (6–14 digits). */
  @IsOptional()
  @Matches(SENDER_PATTERN, { message: `sender ${SENDER_RULE}` })
  sender?: string;

  /** Deferred sending time (ISO 8601 in JSON). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  sendAt?: Date;

  /** Minutes to keep trying to deliver (1–1440). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  ttlMinutes?: number;

  /** The provider's test mode. */
  @IsOptional()
  @IsBoolean()
  test?: boolean;

  /** The end user's public IP address (a private, loopback or reserved one is refused). */
  @IsOptional()
  @IsSmsClientIp()
  clientIp?: string;

  /** Transliterate Cyrillic (SMS.ru). */
  @IsOptional()
  @IsBoolean()
  translit?: boolean;

  /** Hold during the recipient's night (SMS.ru). */
  @IsOptional()
  @IsBoolean()
  daytime?: boolean;

  /** A configured provider name. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  provider?: string;

  /** The same key returns the first call's result without sending again. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  idempotencyKey?: string;
}

/**
 * Body of a send: one text to one number or many.
 *
 * @example
 * @Post('sms')
 * send(@Body() dto: SendSmsDto) {
 *   return this.sms.send(dto);
 * }
 */
export class SendSmsDto extends SendOptionsDto implements SendInput {
  /** One number or a list, in any common notation. */
  @IsSmsRecipients()
  to!: string | string[];

  /** The text: at most 1530 characters (what 10 SMS parts can hold); the provider's parts are checked on send. */
  @IsSmsText()
  text!: string;
}

/** One message of a batch. */
export class BatchItemDto implements BatchItem {
  @IsSmsPhone()
  to!: string;

  @IsSmsText()
  text!: string;
}

const MAX_BATCH_ITEMS = 10_000;
const MAX_STATUS_IDS = 1000;

/** Body of a batch send: a different text to each number. */
export class SendBatchDto extends SendOptionsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  // Past the bound only the length is kept: `@ArrayMaxSize` reports it, and no item is validated.
  @Transform(({ value }) =>
    Array.isArray(value) && value.length > MAX_BATCH_ITEMS ? new Array<BatchItemDto>(value.length) : value,
  )
  items!: BatchItemDto[];
}

/** Query of a status request: ids as a list or comma-separated. */
export class GetStatusDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STATUS_IDS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  // One id more than allowed is enough for `@ArrayMaxSize` to refuse the list.
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value.split(',', MAX_STATUS_IDS + 1).map((id: string) => id.trim())
      : Array.isArray(value) && value.length > MAX_STATUS_IDS
        ? new Array<string>(value.length)
        : value,
  )
  ids!: string[];

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  provider?: string;
}

/** Query of a balance request. */
export class GetBalanceDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  provider?: string;
}
