import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { SendSmsRequest } from '../sms/sms-request.dto';

/** BullMQ's lowest priority (its highest number). */
const MAX_PRIORITY = 2_097_152;

/** `POST /sms/queue`: the body of `POST /sms`, and when and in which order the job may run. */
export class EnqueueSmsRequest extends SendSmsRequest {
  /** Hold the job this many ms before it may run. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    example: 60_000,
    description: 'Hold the job this many ms before it may run',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  delay?: number;

  /** 1 (highest) to 2 097 152; a job without a priority goes first. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PRIORITY,
    example: 10,
    description: 'Order of waiting jobs: 1 is the highest; a job without a priority goes before all of them',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRIORITY)
  priority?: number;
}
