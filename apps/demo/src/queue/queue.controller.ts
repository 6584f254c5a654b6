import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type SmsEnqueueResult, type SmsQueueJob, SmsQueue } from 'nestjs-sms/queue';
import { ErrorResponse } from '../sms/sms-response.dto';
import { EnqueueSmsRequest } from './queue-request.dto';
import { EnqueueResultResponse, QueueJobResponse } from './queue-response.dto';

/** The REST face of `SmsQueue`: durable sends on BullMQ, served when `REDIS_URL` is set. */
@ApiTags('queue')
@Controller('sms/queue')
export class QueueController {
  constructor(private readonly queue: SmsQueue) {}

  /** Validates a send as `POST /sms` does and puts it on the queue. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a send: a worker sends it through SmsService, with retries' })
  @ApiAcceptedResponse({
    type: EnqueueResultResponse,
    description: 'Queued; the same idempotencyKey gives the same job',
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid input (VALIDATION): nothing queued' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponse,
    description: 'Redis unreachable (UNAVAILABLE, not_sent): nothing queued, try again',
  })
  @ApiGatewayTimeoutResponse({
    type: ErrorResponse,
    description:
      'Redis took the job and did not answer in time (UNAVAILABLE, unknown): it may be queued; ' +
      'with an idempotencyKey, queueing it again is safe (the same key is the same job)',
  })
  enqueue(@Body() { delay, priority, ...input }: EnqueueSmsRequest): Promise<SmsEnqueueResult> {
    return this.queue.enqueue(input, { delay, priority });
  }

  /** What became of a queued send. */
  @Get(':jobId')
  @ApiOperation({ summary: 'What became of a queued send' })
  @ApiOkResponse({ type: QueueJobResponse })
  @ApiNotFoundResponse({ description: 'No such job (never queued, or removed by retention)' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Redis unreachable (UNAVAILABLE)' })
  async job(@Param('jobId') jobId: string): Promise<SmsQueueJob> {
    const job = await this.queue.getJob(jobId);
    if (!job) throw new NotFoundException('No such job');
    return job;
  }
}
