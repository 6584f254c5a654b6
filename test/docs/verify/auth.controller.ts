import { Body, Controller, Post, Req, UseFilters } from '@nestjs/common';
import { type Request } from 'express';
import { SmsExceptionFilter, checkClientIp } from 'nestjs-sms';
import { SmsVerifyService } from 'nestjs-sms/verify';

@Controller('auth')
@UseFilters(SmsExceptionFilter) // refusals answer 400, 403, 422 or 429 (with Retry-After)
export class AuthController {
  constructor(private readonly verify: SmsVerifyService) {}

  @Post('code')
  sendCode(@Body() body: { phone: string; captchaToken?: string }, @Req() req: Request) {
    // Only a public address says who the user is; a private one (a local run, a proxy without
    // `trust proxy`) is left out rather than refused.
    const ip = checkClientIp(req.ip);
    const clientIp = ip.ok ? ip.address : undefined;
    return this.verify.start({ to: body.phone, clientIp, captchaToken: body.captchaToken });
  }

  @Post('sign-in')
  async signIn(@Body() body: { id: string; code: string }) {
    const { status, attemptsLeft } = await this.verify.check({ id: body.id, code: body.code });
    if (status !== 'approved') return { ok: false, status, attemptsLeft };
    return { ok: true };
  }
}
