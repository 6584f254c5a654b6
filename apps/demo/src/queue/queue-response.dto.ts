import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from 'nestjs-sms';
import {
  type SmsEnqueueResult,
  type SmsQueueJob,
  type SmsQueueJobError,
  type SmsQueueJobState,
} from 'nestjs-sms/queue';
import { SendResultResponse } from '../sms/sms-response.dto';

/** Every job state, from a record that must name each one (so the list cannot fall behind). */
const STATES = Object.keys({
  waiting: true,
  delayed: true,
  active: true,
  completed: true,
  failed: true,
  unknown: true,
} satisfies Record<SmsQueueJobState, true>);

/** `POST /sms/queue`. */
export class EnqueueResultResponse implements SmsEnqueueResult {
  @ApiProperty({
    example: 'idem-3f2a…',
    description: 'The job id: random, or derived from the idempotency key (the same key, the same job)',
  })
  jobId!: string;
}

/** Why a job's last run failed. */
export class QueueJobErrorResponse implements SmsQueueJobError {
  @ApiProperty({ example: 'UNAVAILABLE' })
  code!: SmsErrorCode;
  @ApiProperty({ enum: ['not_sent', 'unknown'], description: '`unknown`: the message may have been sent' })
  outcome!: SmsOutcome;
  @ApiProperty({
    enum: ['unavailable', 'account', 'refused', 'no_route', 'unknown'],
    enumName: 'SmsFailureClass',
    description: 'What kind of failure: only `unavailable` is run again (see docs/reliability.md)',
  })
  failure!: SmsFailureClass;
  @ApiProperty({ description: 'Whether the queue runs the job again (`failure` is `unavailable`)' })
  retryable!: boolean;
  @ApiProperty()
  message!: string;
}

/** `GET /sms/queue/{jobId}`. */
export class QueueJobResponse implements SmsQueueJob {
  @ApiProperty()
  jobId!: string;
  @ApiProperty({
    enum: STATES,
    description:
      '`unknown`: it ended with an outcome that may have reached the provider; reconcile, never enqueue it again',
  })
  state!: SmsQueueJobState;
  @ApiProperty({ description: 'Runs started so far' })
  attempts!: number;
  @ApiProperty({ description: 'Times the job was taken back from a worker that died' })
  stalls!: number;
  @ApiProperty({
    description:
      'True when the job is `unknown`: the message may have gone out, so sending it again may duplicate it',
  })
  possibleDuplicate!: boolean;
  @ApiPropertyOptional({
    type: SendResultResponse,
    description: 'The send, once `completed` (or `unknown` with an answer for some recipients)',
  })
  result?: SendResultResponse;
  @ApiPropertyOptional({ type: QueueJobErrorResponse, description: 'The last run’s error' })
  error?: QueueJobErrorResponse;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  finishedAt?: Date;
}
