/**
 * Type-checked against the installed package by test/packaging.e2e-spec.ts: the `types` and `exports`
 * of the package must give real types for the core and the `nestjs-sms/driver`, `nestjs-sms/testing`
 * and `nestjs-sms/verify` entry points.
 */
import {
  SendSmsDto,
  SmsError,
  SmsModule,
  type SendResult,
  type SmsModuleOptions,
  type SmsService,
} from 'nestjs-sms';
import { HTTP_CONFIG_FIELDS, type SmsDriverDefinition } from 'nestjs-sms/driver';
import * as testing from 'nestjs-sms/testing';
import { SmsVerifyModule, type SmsVerifyCheckResult, type SmsVerifyService } from 'nestjs-sms/verify';

const options: SmsModuleOptions = { providers: { dev: { driver: 'memory' } }, defaultCountry: 'RU' };

/** The module, registered globally. */
export const smsModule = SmsModule.forRoot({ ...options, isGlobal: true });

/** A send through the service. */
export function sendHello(sms: SmsService): Promise<SendResult> {
  return sms.send({ to: '+7 925 507-06-02', text: 'Hello' });
}

/** A DTO built by hand. */
export const dto: SendSmsDto = Object.assign(new SendSmsDto(), { to: '89255070602', text: 'Hello' });

/** Narrows an error to SmsError. */
export const isSmsError = (e: unknown): e is SmsError => e instanceof SmsError && typeof e.code === 'string';

/** The testing entry point's exports. */
export const testingExports: string[] = Object.keys(testing);

/** The driver entry point: the contract and its helpers. */
export const driverFields: readonly string[] = HTTP_CONFIG_FIELDS;
export type AnyDriver = SmsDriverDefinition;

/** The option types are strict, not `any`. */
// @ts-expect-error `driver` is a built-in name or a class, not a number
export const wrong: SmsModuleOptions = { providers: { dev: { driver: 42 } } };

/** The verify entry point: its module and a typed check. */
export const verifyModule = SmsVerifyModule.forRoot({ secret: 'a-random-secret-of-at-least-32-chars' });
export function approve(verify: SmsVerifyService, id: string, code: string): Promise<SmsVerifyCheckResult> {
  return verify.check({ id, code });
}
