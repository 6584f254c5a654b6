/** Entry of the Nest 11 CommonJS scratch application: loads every package with `require`. */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS application is what this file checks */
require('reflect-metadata');
const common = require('@nestjs/common');
const core = require('@nestjs/core');
const terminus = require('@nestjs/terminus');
const sms = require('nestjs-sms');
const health = require('nestjs-sms/health');
const { defineApp, runApp } = require('./define-app.cjs');

const meta = {
  moduleSystem: typeof require === 'function' && typeof module === 'object' ? 'commonjs' : 'esm',
  smsEntry: require.resolve('nestjs-sms'),
};

runApp(core, defineApp({ common, terminus, sms, health }), meta).catch((e) => {
  console.error(e);
  process.exit(1);
});
