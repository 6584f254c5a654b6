/** Queue run of the Nest 12 ESM scratch application: loads every package with `import`. */
import 'reflect-metadata';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import { MemoryProvider, SmsModule, SmsService } from 'nestjs-sms';
import { SmsQueue, SmsQueueModule } from 'nestjs-sms/queue';
import { runQueue } from './queue-app.cjs';

const sms = { MemoryProvider, SmsModule, SmsService };
const queue = { SmsQueue, SmsQueueModule };

try {
  await runQueue({ common, core, sms, queue });
} catch (e) {
  console.error(e);
  process.exit(1);
}
