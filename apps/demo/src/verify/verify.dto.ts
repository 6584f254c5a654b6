import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  type SmsVerification,
  type SmsVerifyCheckResult,
  type SmsVerifyLocale,
  type SmsVerifyStatus,
} from 'nestjs-sms/verify';

const PHONE = { example: '+7 925 507-06-02', description: 'A mobile number in any common notation' };

/** `POST /verify/start`. */
export class VerifyStartRequest {
  @ApiProperty({ ...PHONE, maxLength: 64 })
  @IsString()
  @MaxLength(64)
  to!: string;

  @ApiPropertyOptional({
    maxLength: 8192,
    description: 'The token of the captcha widget (required when the server checks a captcha)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  captchaToken?: string;

  @ApiPropertyOptional({ enum: ['ru', 'en'], description: 'Language of the message; default ru' })
  @IsOptional()
  @IsIn(['ru', 'en'])
  locale?: SmsVerifyLocale;
}

/** `POST /verify/check`: the verification by `id`, or the number's current one by `to`. */
export class VerifyCheckRequest {
  @ApiPropertyOptional({ maxLength: 100, description: 'The id `start` returned' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @ApiPropertyOptional({ ...PHONE, maxLength: 64, description: 'The number, instead of the id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to?: string;

  @ApiProperty({ example: '482913', pattern: '^\\d{4,10}$', description: 'The code from the SMS' })
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code!: string;
}

/** A pending verification; the code is never part of it. */
export class VerificationResponse implements SmsVerification {
  @ApiProperty({ example: '0b6c7f3e-8a51-4c1e-9d2f-5e4b3a2c1d0e' })
  id!: string;
  @ApiProperty({ example: '79255070602', description: 'The number, digits only' })
  to!: string;
  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';
  @ApiProperty({ format: 'date-time', description: 'When the code stops working' })
  expiresAt!: Date;
  @ApiProperty({ format: 'date-time', description: 'Until then a new start returns this verification' })
  resendAfter!: Date;
  @ApiPropertyOptional({ example: 'dev' })
  provider?: string;
  @ApiPropertyOptional({ example: 'dev-1' })
  messageId?: string;
}

/** What a check found. */
export class VerifyCheckResponse implements SmsVerifyCheckResult {
  @ApiProperty({
    enum: ['approved', 'pending', 'expired', 'max_attempts', 'not_found'],
    description:
      'approved: right code (good once); pending: wrong code, attempts left; expired; max_attempts; ' +
      'not_found: no such verification, or already approved or cancelled',
  })
  status!: SmsVerifyStatus;
  @ApiProperty({ example: 4 })
  attemptsLeft!: number;
}
