import { Body, Controller, Get, Post, Query, UseFilters } from '@nestjs/common';
import { GetStatusDto, SendBatchDto, SendSmsDto, SmsExceptionFilter, SmsService } from 'nestjs-sms';

@Controller('sms')
@UseFilters(SmsExceptionFilter) // SmsError → 400, 429, 503, 502 (see "Handle errors")
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  @Post()
  send(@Body() dto: SendSmsDto) {
    return this.sms.send(dto); // { provider, messages: [{ to: '79255070602', accepted, id, status, segments }] }
  }

  @Post('batch')
  sendBatch(@Body() { items, ...options }: SendBatchDto) {
    return this.sms.sendBatch(items, options);
  }

  @Get('status')
  status(@Query() { ids, provider }: GetStatusDto) {
    return this.sms.getStatus(ids, { provider });
  }
}
