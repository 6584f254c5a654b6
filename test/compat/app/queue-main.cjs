/** Queue run of the Nest 11 CommonJS scratch application: loads every package with `require`. */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS application is what this file checks */
require('reflect-metadata');
const common = require('@nestjs/common');
const core = require('@nestjs/core');
const sms = require('nestjs-sms');
const queue = require('nestjs-sms/queue');
const { runQueue } = require('./queue-app.cjs');

runQueue({ common, core, sms, queue }).catch((e) => {
  console.error(e);
  process.exit(1);
});
