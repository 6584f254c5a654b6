import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type ModuleRef } from '@nestjs/core';
import { DelayedError, type Job, type Queue, RateLimitError, UnrecoverableError, Worker } from 'bullmq';
import { SmsConfigurationError } from '../errors';
import { type ResolvedSmsModuleOptions, type SendResult } from '../interfaces';
import { SmsProviderRegistry } from '../providers/sms-provider-registry';
import { SmsService } from '../sms.service';
import { type RedisClient } from './redis-script';
import { type SmsJobData, fromJobData, toJobFailure } from './sms-job.codec';
import { SMS_QUEUE_LOGGER_CONTEXT } from './sms-queue.constants';
import { type SmsQueueSettings } from './sms-queue-options';
import { SmsSendLimiter, type SmsSendSlot } from './sms-send-limiter';

/**
 * The worker of this process (unless `worker: false`): takes jobs and sends each through
 * `SmsService.send`, so failover, breakers, idempotency and anti-flood apply (internal).
 *
 * A *not sent*, retryable failure is retried with the job's backoff; an *unknown* outcome or a final
 * refusal fails the job at once. On shutdown it stops taking jobs and waits for those in flight, at
 * most `shutdownTimeoutMs`.
 */
export class SmsQueueWorker
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(SMS_QUEUE_LOGGER_CONTEXT);
  private readonly limiter: SmsSendLimiter;
  private worker?: Worker<SmsJobData, SendResult>;
  private inFlight = 0;
  private stopping?: Promise<void>;

  constructor(
    private readonly settings: SmsQueueSettings,
    private readonly queue: Queue,
    private readonly moduleRef: ModuleRef,
  ) {
    this.limiter = new SmsSendLimiter(
      `${settings.prefix}:${settings.queueName}`,
      settings.limiter,
      settings.providerLimiters,
    );
  }

  /** Jobs this process is sending now. */
  get active(): number {
    return this.inFlight;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.worker) return;
    let sms: SmsService;
    let registry: SmsProviderRegistry;
    try {
      sms = this.moduleRef.get(SmsService, { strict: false });
      registry = this.moduleRef.get(SmsProviderRegistry, { strict: false });
    } catch {
      return this.refuse('SmsQueueModule needs SmsModule: import SmsModule.forRoot(…) in the application');
    }
    for (const name of Object.keys(this.settings.providerLimiters)) {
      if (!registry.names.includes(name)) {
        return this.refuse(`SmsQueueModule: "providerLimiters" names "${name}", which is not configured`);
      }
    }
    const s = this.settings;
    const worker = new Worker<SmsJobData, SendResult>(
      s.queueName,
      (job, token) => this.process(job, token, sms, registry.options),
      {
        connection: s.connection,
        prefix: s.prefix,
        concurrency: s.concurrency,
        limiter: s.limiter,
        lockDuration: s.lockDuration,
        stalledInterval: s.stalledInterval,
        maxStalledCount: s.maxStalledCount,
        autorun: false,
      },
    );
    worker.on('error', (e) => {
      if (!this.stopping) this.logger.error(`Worker of "${s.queueName}": ${e.message}`);
    });
    this.worker = worker;
    worker.run().catch((e: unknown) => {
      if (!this.stopping)
        this.logger.error(`Worker of "${s.queueName}" stopped: ${e instanceof Error ? e.message : e}`);
    });
  }

  /**
   * Fails the start-up. Nest cannot close an application whose start failed, so the queue's
   * connection is closed here first.
   */
  private async refuse(message: string): Promise<never> {
    await this.queue.close().catch(() => undefined);
    throw new SmsConfigurationError(message);
  }

  /** Stops taking jobs and waits for the ones in flight (bounded), before the SMS providers close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Stops taking jobs and waits, at most `shutdownTimeoutMs`, for the jobs in flight. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const timeoutMs = this.settings.shutdownTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const closed = worker.close().then(() => true);
    const expired = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    const finished = await Promise.race([closed, expired]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(
        `${this.inFlight} job(s) still in flight after ${timeoutMs} ms: no longer waiting for them; if the ` +
          `process ends first, another worker runs them again once their lock expires (see stalled jobs)`,
      );
    }
  }

  private async process(
    job: Job<SmsJobData, SendResult>,
    token: string | undefined,
    sms: SmsService,
    options: ResolvedSmsModuleOptions,
  ): Promise<SendResult> {
    let input;
    try {
      input = fromJobData(job.data);
    } catch (e) {
      throw toJobFailure(e);
    }
    const slot = this.limiter.enabled
      ? await this.takeSlot(job, token, input.provider ?? options.defaultProvider, options.sendTimeoutMs)
      : undefined;
    this.inFlight++;
    try {
      return await sms.send(input);
    } catch (e) {
      const failure = toJobFailure(e);
      const line = `Job ${job.id} run ${job.attemptsMade + 1}: ${failure.message}`;
      if (failure instanceof UnrecoverableError) this.logger.warn(line);
      else this.logger.debug(line);
      throw failure;
    } finally {
      this.inFlight--;
      if (slot) await this.giveBack(slot);
    }
  }

  /**
   * Takes a send slot, or puts the job back: over the queue's limit every worker pauses until a slot
   * may free (BullMQ's rate limit; the job keeps its attempts); over its provider's limit the job alone
   * waits in `delayed`.
   */
  private async takeSlot(
    job: Job<SmsJobData, SendResult>,
    token: string | undefined,
    provider: string,
    sendTimeoutMs: number,
  ): Promise<SmsSendSlot | undefined> {
    const redis = await this.redis();
    const taken = await this.limiter.take(redis, provider, sendTimeoutMs + this.settings.lockDuration);
    if (!taken) return undefined;
    if ('slot' in taken) return taken.slot;
    if (taken.wait.scope === 'queue') {
      await this.queue.rateLimit(taken.wait.waitMs);
      throw new RateLimitError();
    }
    await job.moveToDelayed(Date.now() + taken.wait.waitMs, token);
    throw new DelayedError();
  }

  private async giveBack(slot: SmsSendSlot): Promise<void> {
    try {
      await this.limiter.release(await this.redis(), slot);
    } catch (e) {
      this.logger.warn(
        `Could not give back a send slot (it frees itself later): ${e instanceof Error ? e.message : e}`,
      );
    }
  }

  private async redis(): Promise<RedisClient> {
    return (await this.worker!.client) as unknown as RedisClient;
  }
}
