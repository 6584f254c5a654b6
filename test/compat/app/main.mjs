/** Entry of the Nest 12 ESM scratch application: loads every package with `import`. */
import 'reflect-metadata';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import * as terminus from '@nestjs/terminus';
import { MemoryProvider, SmsModule, SmsService } from 'nestjs-sms';
import { SmsHealthIndicator, SmsHealthModule } from 'nestjs-sms/health';
import { defineApp, runApp } from './define-app.cjs';

const meta = {
  moduleSystem: typeof require === 'undefined' && typeof import.meta.url === 'string' ? 'esm' : 'commonjs',
  smsEntry: import.meta.resolve('nestjs-sms'),
};

const sms = { MemoryProvider, SmsModule, SmsService };
const health = { SmsHealthIndicator, SmsHealthModule };

try {
  await runApp(core, defineApp({ common, terminus, sms, health }), meta);
} catch (e) {
  console.error(e);
  process.exit(1);
}
