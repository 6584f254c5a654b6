import { applyDecorators, Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  type BalanceResult,
  type CostResult,
  type MessageStatus,
  type SendResult,
  SmsService,
} from 'nestjs-sms';
import { GetBalanceQuery, GetStatusQuery, SendBatchRequest, SendSmsRequest } from './sms-request.dto';
import {
  BalanceResponse,
  CostResultResponse,
  ErrorResponse,
  MessageStatusResponse,
  SendResultResponse,
} from './sms-response.dto';

/** The error answers every route that reaches a provider may give. */
function ApiSmsErrors(): MethodDecorator {
  const type = ErrorResponse;
  return applyDecorators(
    ApiBadRequestResponse({ type, description: 'Invalid input (VALIDATION): nothing sent' }),
    ApiUnprocessableEntityResponse({ type, description: 'The provider will not take this message' }),
    ApiTooManyRequestsResponse({ type, description: 'RATE_LIMITED: see Retry-After' }),
    ApiServiceUnavailableResponse({
      type,
      description: 'The provider cannot send now (UNAVAILABLE, AUTH, INSUFFICIENT_FUNDS, …): not sent',
    }),
    ApiBadGatewayResponse({
      type,
      description: 'Unknown outcome: the message may have been sent; do not resend',
    }),
  );
}

/** The REST face of `SmsService`: bodies and queries validated by the library's DTOs. */
@ApiTags('sms')
@Controller('sms')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  /** Sends one text to one or more numbers. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Send one text to one or more numbers' })
  @ApiCreatedResponse({ type: SendResultResponse, description: 'Sent; check `accepted` of each recipient' })
  @ApiSmsErrors()
  send(@Body() body: SendSmsRequest): Promise<SendResult> {
    return this.sms.send(body);
  }

  /** Sends a different text to each number. */
  @Post('batch')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Send a different text to each number' })
  @ApiCreatedResponse({ type: SendResultResponse })
  @ApiSmsErrors()
  sendBatch(@Body() { items, ...options }: SendBatchRequest): Promise<SendResult> {
    return this.sms.sendBatch(items, options);
  }

  /** The delivery status of messages by id. */
  @Get('status')
  @ApiOperation({ summary: 'Delivery status of messages by id' })
  @ApiOkResponse({ type: [MessageStatusResponse] })
  @ApiSmsErrors()
  status(@Query() { ids, provider }: GetStatusQuery): Promise<MessageStatus[]> {
    return this.sms.getStatus(ids, { provider });
  }

  /** What a send would cost, without sending. */
  @Post('cost')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What a send would cost, without sending' })
  @ApiOkResponse({ type: CostResultResponse })
  @ApiSmsErrors()
  cost(@Body() body: SendSmsRequest): Promise<CostResult> {
    return this.sms.getCost(body);
  }

  /** The account balance. */
  @Get('balance')
  @ApiOperation({ summary: 'The account balance in RUB' })
  @ApiOkResponse({ type: BalanceResponse })
  @ApiSmsErrors()
  balance(@Query() { provider }: GetBalanceQuery): Promise<BalanceResult> {
    return this.sms.getBalance({ provider });
  }
}
