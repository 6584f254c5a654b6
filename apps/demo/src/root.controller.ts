import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SmsService } from 'nestjs-sms';
import { isMemoryActive } from './outbox/memory-active';

/** `GET /`: to the outbox page when a memory provider is configured, otherwise to the API docs. */
@ApiExcludeController()
@Controller()
export class RootController {
  constructor(private readonly sms: SmsService) {}

  @Get()
  @Redirect('/docs', 302)
  home(): { url: string } {
    return { url: isMemoryActive(this.sms) ? '/outbox' : '/docs' };
  }
}
