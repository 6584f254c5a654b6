import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type Request } from 'express';
import {
  type SmsVerification,
  type SmsVerifyCheckInput,
  type SmsVerifyCheckResult,
  SmsVerifyService,
} from 'nestjs-sms/verify';
import { checkClientIp } from 'nestjs-sms';
import { ErrorResponse } from '../sms/sms-response.dto';
import {
  VerificationResponse,
  VerifyCheckRequest,
  VerifyCheckResponse,
  VerifyStartRequest,
} from './verify.dto';

/** One-time codes: start sends a code (or returns the pending one), check approves it. */
@ApiTags('verify')
@Controller('verify')
export class VerifyController {
  constructor(private readonly verify: SmsVerifyService) {}

  /** Sends a code to the number; within the resend cooldown returns the pending verification. */
  @Post('start')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Send a one-time code (or return the pending verification within the cooldown)' })
  @ApiCreatedResponse({ type: VerificationResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'VALIDATION or INVALID_PHONE (not a mobile)' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'CAPTCHA_FAILED' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponse, description: 'COUNTRY_NOT_ALLOWED' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: 'RATE_LIMITED (cooldown, number or IP limits, pumping) or SPEND_LIMIT: see Retry-After',
  })
  start(@Body() body: VerifyStartRequest, @Req() req: Request): Promise<SmsVerification> {
    // The end user's address feeds the per-IP limits and SMS.ru's anti-fraud; a private or loopback
    // one (a local run, a proxy without trust proxy set) says nothing about the user and is left out.
    const ip = checkClientIp(req.ip);
    return this.verify.start({ ...body, clientIp: ip.ok ? ip.address : undefined });
  }

  /** Checks a code. */
  @Post('check')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Check a code: approved, pending, expired, max_attempts or not_found' })
  @ApiOkResponse({ type: VerifyCheckResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'VALIDATION' })
  check(@Body() body: VerifyCheckRequest): Promise<SmsVerifyCheckResult> {
    // The service refuses both or neither of id and to with VALIDATION.
    return this.verify.check(body as SmsVerifyCheckInput);
  }
}
