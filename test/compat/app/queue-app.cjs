/* global setTimeout */
/**
 * The queue run of the compatibility check, for both module systems (`queue-main.cjs`, `queue-main.mjs`
 * hand in the packages they loaded): `SmsModule` with the memory driver and `SmsQueueModule` with a
 * `limiter`, an `events$` subscriber, 20 jobs against the Redis of `REDIS_URL` under the key prefix
 * of `SMS_QUEUE_PREFIX`. It prints one JSON report line: what the subscriber saw, what the memory
 * driver sent, the state of every job and how long the 20 took.
 */

const JOBS = 20;

/** Resolves with `check()` once it is truthy, or rejects after `ms`. */
async function until(check, what, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * @param {{ common: any, core: any, sms: any, queue: any }} packages
 */
async function runQueue({ common, core, sms, queue }) {
  const { Module } = common;
  const { MemoryProvider, SmsModule, SmsService } = sms;
  const { SmsQueue, SmsQueueModule } = queue;
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = process.env.SMS_QUEUE_PREFIX;
  if (!prefix) throw new Error('SMS_QUEUE_PREFIX is not set');

  class QueueAppModule {}
  Module({
    imports: [
      SmsModule.forRoot({ providers: { dev: { driver: 'memory', outboxLimit: 100 } }, retry: false }),
      SmsQueueModule.forRoot({
        connection: url,
        prefix,
        queueName: 'compat',
        concurrency: 5,
        limiter: { max: 10, duration: 500 },
        commandTimeoutMs: 5_000,
      }),
    ],
  })(QueueAppModule);

  const app = await core.NestFactory.createApplicationContext(QueueAppModule, { logger: ['error'] });
  try {
    const smsQueue = app.get(SmsQueue);
    const events = [];
    const subscription = smsQueue.events$.subscribe({
      next: (event) => events.push({ type: event.type, jobId: event.jobId }),
      error: (e) => events.push({ type: 'subscriber error', message: String(e && e.message) }),
    });
    // The reader starts from the end of the stream as it is when the subscription is made.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const jobIds = [];
    for (let i = 0; i < JOBS; i++) {
      const { jobId } = await smsQueue.enqueue({ to: `+7 925 507-06-${String(10 + i)}`, text: `job ${i}` });
      jobIds.push(jobId);
    }
    const finals = ['completed', 'failed', 'unknown'];
    const jobs = await until(
      async () => {
        const all = await Promise.all(jobIds.map((id) => smsQueue.getJob(id)));
        return all.every((job) => job && finals.includes(job.state)) ? all : undefined;
      },
      'every job to end',
      30_000,
    );
    const tookMs = Date.now() - started;
    await until(() => events.length >= JOBS, 'an event per job', 10_000).catch(() => undefined);
    subscription.unsubscribe();
    const outbox = app
      .get(SmsService)
      .driver('dev', MemoryProvider)
      .outbox.messages.map(({ to, text }) => ({ to, text }));
    console.log(
      JSON.stringify({
        tookMs,
        jobIds,
        events,
        outbox,
        states: jobs.map((job) => ({ jobId: job.jobId, state: job.state, error: job.error })),
      }),
    );
  } finally {
    await app.close();
  }
}

module.exports = { runQueue, JOBS };
