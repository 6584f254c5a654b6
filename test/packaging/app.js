/* global fetch */
/**
 * A plain CommonJS Nest 11 application that uses the installed nestjs-sms package (no TypeScript, no
 * path aliases): it sends one message through SmsService, one invalid message, and one message through
 * an HTTP controller validated by SendSmsDto, then prints a JSON report on its last line (with the
 * `@opentelemetry/api` it resolves, if any, and whether the library loaded it).
 */
require('reflect-metadata');
const { Body, Controller, HttpCode, Inject, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { MemoryProvider, SendSmsDto, SmsModule, SmsService, SmsValidationError } = require('nestjs-sms');
const { version } = require('nestjs-sms/package.json');

class SmsController {
  constructor(sms) {
    this.sms = sms;
  }

  send(dto) {
    return this.sms.send(dto);
  }
}
Inject(SmsService)(SmsController, undefined, 0);
Controller('sms')(SmsController);
const send = Object.getOwnPropertyDescriptor(SmsController.prototype, 'send');
Post()(SmsController.prototype, 'send', send);
HttpCode(201)(SmsController.prototype, 'send', send);
Body()(SmsController.prototype, 'send', 0);
Reflect.defineMetadata('design:paramtypes', [SendSmsDto], SmsController.prototype, 'send');

class AppModule {}
Module({
  imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } } })],
  controllers: [SmsController],
})(AppModule);

/** Which @opentelemetry/api this app resolves (an optional peer of nestjs-sms), and whether it is loaded. */
function openTelemetryApi() {
  let entry;
  try {
    entry = require.resolve('@opentelemetry/api');
  } catch {
    return null;
  }
  const dir = entry.slice(0, entry.lastIndexOf('node_modules/@opentelemetry/api/') + 31);
  const { version } = JSON.parse(require('node:fs').readFileSync(`${dir}/package.json`, 'utf8'));
  return { version, loaded: Object.keys(require.cache).some((file) => file.startsWith(`${dir}/`)) };
}

async function post(base, body) {
  const res = await fetch(`${base}/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  await app.listen(0, '127.0.0.1');
  try {
    const sms = app.get(SmsService);
    const sent = await sms.send({ to: '+7 925 507-06-02', text: 'Привет' });
    const outbox = sms.driver('dev', MemoryProvider).outbox.messages.map(({ to, text }) => ({ to, text }));
    const invalid = await sms.send({ to: '123', text: ' ' }).then(
      () => ({ name: 'none' }),
      (e) => ({
        name: e.name,
        code: e.code,
        isSmsValidationError: e instanceof SmsValidationError,
        fields: e.details.map((d) => d.field),
      }),
    );
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    const http = {
      created: await post(base, { to: '8 925 507 06 02', text: 'Hello' }),
      rejected: await post(base, { to: 'nope', text: 'Hello' }),
    };
    console.log(
      JSON.stringify({ version, sent, outbox, invalid, http, openTelemetryApi: openTelemetryApi() }),
    );
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
