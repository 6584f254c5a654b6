import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsIP,
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
import { SENDER_PATTERN } from '../message/normalize';
import { IsSmsPhone, IsSmsRecipients } from './is-sms-phone.decorator';

/** Options shared by the send DTOs. */
export class SendOptionsDto implements SendOptions {
  /** Sender name (3–11 of `A-Za-z0-9.-`) or number (6–14 digits). */
  @IsOptional()
  @Matches(SENDER_PATTERN, { message: 'sender must be 3–11 of A-Za-z0-9.- or 6–14 digits' })
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

  /** The end user's IP address. */
  @IsOptional()
  @IsIP()
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

  /** The text. */
  @IsString()
  @Matches(/\S/, { message: 'text must not be empty' })
  text!: string;
}

/** One message of a batch. */
export class BatchItemDto implements BatchItem {
  @IsSmsPhone()
  to!: string;

  @IsString()
  @Matches(/\S/, { message: 'text must not be empty' })
  text!: string;
}

/** Body of a batch send: a different text to each number. */
export class SendBatchDto extends SendOptionsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];
}

/** Query of a status request: ids as a list or comma-separated. */
export class GetStatusDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @Transform(({ value }) =>
    typeof value === 'string' ? value.split(',').map((id: string) => id.trim()) : value,
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
