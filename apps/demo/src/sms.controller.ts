import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SendSmsDto, SmsService, type SendResult } from 'nestjs-sms';

/** The REST face of `SmsService`. */
@Controller('sms')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  /** Sends one text to one or more numbers. */
  @Post()
  @HttpCode(201)
  send(@Body() dto: SendSmsDto): Promise<SendResult> {
    return this.sms.send(dto);
  }
}
