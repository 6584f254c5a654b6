/**
 * One instance of an application using SmsQueueModule, run as a child process by the queue tests:
 * a worker (takes jobs until SIGTERM or SIGKILL) or a producer (enqueues its share, then exits).
 * Its configuration comes as JSON in the SMSQ_NODE environment variable; it talks to the test over IPC.
 */
import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import { Redis } from 'ioredis';
import {
  RedisIdempotencyStore,
  SmsQueue,
  SmsQueueModule,
  type SmsQueueModuleForRootOptions,
} from 'nestjs-sms/queue';
import { messageFor } from './messages';

/** What the test passes to a node. */
export interface QueueNodeConfig {
  role: 'worker' | 'producer';
  sms: SmsModuleOptions;
  queue: SmsQueueModuleForRootOptions;
  /** For a producer: messages `from` … `from + count - 1` (see `messageFor`). */
  produce?: { from: number; count: number; parallel: number };
  /** Keep idempotency keys in Redis (`RedisIdempotencyStore`) under this prefix. */
  idempotencyPrefix?: string;
}

/** Messages a node sends to the test. */
export type QueueNodeMessage =
  { type: 'ready'; pid: number } | { type: 'enqueued'; jobIds: string[] } | { type: 'failed'; error: string };

function send(message: QueueNodeMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.SMSQ_NODE ?? '') as QueueNodeConfig;
  const worker = config.role === 'worker';
  const sms: SmsModuleOptions = { ...config.sms };
  if (config.idempotencyPrefix) {
    const redis = new Redis(config.queue.connection as string, { maxRetriesPerRequest: null });
    sms.idempotency = {
      ...sms.idempotency,
      store: new RedisIdempotencyStore(redis, { prefix: config.idempotencyPrefix }),
    };
  }

  @Module({
    imports: [SmsModule.forRoot(sms), SmsQueueModule.forRoot({ ...config.queue, worker })],
  })
  class NodeModule {}

  const app = await NestFactory.createApplicationContext(NodeModule, { logger: ['error', 'warn'] });
  if (worker) {
    app.enableShutdownHooks();
    await send({ type: 'ready', pid: process.pid });
    return;
  }
  const queue = app.get(SmsQueue);
  const { from, count, parallel } = config.produce!;
  const jobIds: string[] = [];
  for (let start = from; start < from + count; start += parallel) {
    const end = Math.min(start + parallel, from + count);
    const chunk = await Promise.all(
      Array.from({ length: end - start }, (_, i) => queue.enqueue(messageFor(start + i))),
    );
    jobIds.push(...chunk.map((j) => j.jobId));
  }
  await send({ type: 'enqueued', jobIds });
  await app.close();
  process.disconnect();
}

main().catch(async (e: unknown) => {
  new Logger('QueueNode').error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  if (process.connected) await send({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
