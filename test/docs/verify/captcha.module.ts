import { Module } from '@nestjs/common';
import { SmsVerifyModule, yandexSmartCaptcha } from 'nestjs-sms/verify';

@Module({
  imports: [
    SmsVerifyModule.forRoot({
      secret: process.env.SMS_VERIFY_SECRET!,
      captcha: { verifier: yandexSmartCaptcha({ secret: process.env.SMARTCAPTCHA_SERVER_KEY! }) },
      // or: hCaptcha({ secret, sitekey })
      // or: reCaptcha({ secret, minScore: 0.5, action: 'login' }) (v3; v2 without minScore)
    }),
  ],
})
export class VerifyModule {}
