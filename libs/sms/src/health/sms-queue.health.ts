import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SMS_QUEUE_INSTANCE } from '../queue/sms-queue.constants';
import { type SmsQueueRedisCheck } from '../queue/sms-queue-job.interface';
import { SMS_HEALTH_OPTIONS } from './sms-health.constants';
import { SMS_HEALTH_MESSAGES } from './sms-health.messages';
import { countHealthCheck } from '../telemetry/health';
import {
  type ResolvedSmsHealthOptions,
  type SmsHealthModuleOptions,
  type SmsHealthReason,
  type SmsQueueHealthCheckOptions,
  checkOptionsProblem,
  resolveSmsHealthOptions,
} from './sms-health-options.interface';

/** What the indicator needs of `SmsQueue` (found by token, so this entry never loads bullmq). */
interface QueueProbe {
  readonly name: string;
  checkRedis(timeoutMs?: number): Promise<SmsQueueRedisCheck>;
}

/**
 * Terminus health indicator of the queue's Redis (`nestjs-sms/queue`): up when Redis answers a `PING`
 * within `timeoutMs`, down with `reason: 'unreachable'` otherwise, and `misconfigured` when the
 * application has no `SmsQueueModule`. It never throws, never shows a URL or a password, and does not
 * load bullmq: an application without the queue can import `nestjs-sms/health` as before.
 *
 * @example
 * @Get('ready') @HealthCheck()
 * ready() {
 *   return this.health.check([
 *     () => this.sms.isHealthy('sms'),
 *     () => this.queue.isHealthy('queue'),
 *   ]);
 * }
 */
@Injectable()
export class SmsQueueHealthIndicator {
  private readonly settings: ResolvedSmsHealthOptions;
  private queue?: QueueProbe;

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(SMS_HEALTH_OPTIONS) options?: SmsHealthModuleOptions,
  ) {
    this.settings = resolveSmsHealthOptions(options);
  }

  /**
   * Up (`queue`, `latencyMs`) when the queue's Redis answers within `timeoutMs` (default: the module's
   * `timeoutMs`, 2 000 ms); down with `reason` `unreachable` or `misconfigured` otherwise.
   */
  async isHealthy<const Key extends string>(
    key: Key,
    options: SmsQueueHealthCheckOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const result = await this.check(key, options);
    countHealthCheck(result);
    return result;
  }

  private async check<const Key extends string>(
    key: Key,
    options: SmsQueueHealthCheckOptions,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.healthIndicatorService.check(key);
    try {
      const problem = checkOptionsProblem(options ?? {});
      if (problem) return indicator.down(misconfigured(problem));
      const queue = this.find();
      if (!queue) return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.noQueue));
      const timeoutMs = options?.timeoutMs ?? this.settings.timeoutMs;
      const check = await queue.checkRedis(timeoutMs);
      if (check.up) return indicator.up({ queue: queue.name, latencyMs: check.latencyMs });
      return indicator.down({
        queue: queue.name,
        reason: 'unreachable' satisfies SmsHealthReason,
        message: SMS_HEALTH_MESSAGES.queueRedis(queue.name, timeoutMs),
        latencyMs: check.latencyMs,
      });
    } catch {
      return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.unexpected));
    }
  }

  private find(): QueueProbe | undefined {
    if (!this.queue) {
      try {
        this.queue = this.moduleRef.get<QueueProbe>(SMS_QUEUE_INSTANCE, { strict: false });
      } catch {
        return undefined;
      }
    }
    return this.queue;
  }
}

function misconfigured(message: string) {
  return { reason: 'misconfigured' satisfies SmsHealthReason, message };
}
