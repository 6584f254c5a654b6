import { type DynamicModule, Module } from '@nestjs/common';
import { SMS_MODULE_OPTIONS } from '../sms.constants';
import { SmsModule } from '../sms.module';
import { SmsOutbox } from './sms-outbox';
import { type SmsTestingModuleOptions, toSmsTestingOptions } from './sms-testing.options';

/** The part of `TestingModuleBuilder` (`@nestjs/testing`) that `SmsTestingModule.override` uses. */
export interface SmsOverridableBuilder<B> {
  overrideProvider(token: unknown): { useValue(value: unknown): B };
}

/**
 * `SmsModule` for an application's tests: the real `SmsService` (validation, guards, routing,
 * failover) over memory providers, and an injectable `SmsOutbox` to assert on what was sent and to
 * simulate refusals, per-recipient failures, outages, unknown outcomes and delays. No network.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [SmsTestingModule.forRoot()],
 *   providers: [OtpService],
 * }).compile();
 * const outbox = moduleRef.get(SmsOutbox);
 */
@Module({})
export class SmsTestingModule {
  /**
   * Registers `SmsService` (global by default) over memory providers, and `SmsOutbox`.
   * Options are those of `SmsModule.forRoot` with provider names instead of provider configs.
   */
  static forRoot(options: SmsTestingModuleOptions = {}): DynamicModule {
    const isGlobal = options.isGlobal ?? true;
    const sms = SmsModule.forRoot({ ...toSmsTestingOptions(options), isGlobal });
    return {
      module: SmsTestingModule,
      global: isGlobal,
      imports: [sms],
      providers: [SmsOutbox],
      exports: [sms, SmsOutbox],
    };
  }

  /**
   * Makes an application's own `SmsModule` (however it registers it: `forRoot`, `forRootAsync`)
   * use memory providers in a test; reach the outbox with `SmsOutbox.from(moduleRef)`. Name the
   * providers the application uses.
   *
   * @example
   * const moduleRef = await SmsTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
   *   providers: ['main', 'backup'],
   *   failover: ['main', 'backup'],
   * }).compile();
   * const outbox = SmsOutbox.from(moduleRef);
   */
  static override<B>(builder: SmsOverridableBuilder<B>, options: SmsTestingModuleOptions = {}): B {
    return builder.overrideProvider(SMS_MODULE_OPTIONS).useValue(toSmsTestingOptions(options));
  }
}
