import { type DynamicModule, type FactoryProvider, type Provider, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { SmsModule, type SmsModuleOptions, type SmsProviderConfig } from 'nestjs-sms';
import { SMS_MODULE_OPTIONS } from 'nestjs-sms/sms.constants';

/** What a documented module is: a module class, or what `forRoot` / `forRootAsync` returned. */
export type DocModule = Type | DynamicModule | Promise<DynamicModule>;

/** Fields to change in a provider's config, by provider name (`{ main: { baseUrl: fake.url } }`). */
export type ProviderOverrides = Record<string, Partial<SmsProviderConfig> & Record<string, unknown>>;

function isDynamic(module: unknown): module is DynamicModule {
  return typeof module === 'object' && module !== null && 'module' in module;
}

/** The `SmsModule` registration in `root` or in a module it imports, however deep. */
function findSmsModule(root: unknown, seen = new Set<unknown>()): DynamicModule | undefined {
  if (seen.has(root)) return undefined;
  seen.add(root);
  if (isDynamic(root) && root.module === SmsModule) return root;
  const type = isDynamic(root) ? root.module : root;
  const imports: unknown[] = [
    ...(isDynamic(root) ? (root.imports ?? []) : []),
    ...((typeof type === 'function' ? Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) : undefined) ?? []),
  ];
  for (const imported of imports) {
    const found = findSmsModule(imported, seen);
    if (found) return found;
  }
  return undefined;
}

/**
 * The documented options with `overrides` applied. A provider that talks HTTP and has no override
 * stops the test: a documented example must never reach the real SMS.ru or SMSPilot.
 */
function pointed(options: SmsModuleOptions, overrides: ProviderOverrides): SmsModuleOptions {
  const providers: Record<string, SmsProviderConfig> = {};
  for (const [name, config] of Object.entries(options.providers)) {
    const override = overrides[name];
    if (!override && (config.driver === 'smsru' || config.driver === 'smspilot')) {
      throw new Error(`provider "${name}" of the example has no local fake to talk to`);
    }
    providers[name] = { ...config, ...override } as SmsProviderConfig;
  }
  return { ...options, providers };
}

/**
 * A testing module of the documented modules exactly as written, except that the options reaching
 * `SmsModule` (from `forRoot`, a factory, `useClass` or `useExisting`) get `overrides`: the HTTP
 * providers then talk to fakes on 127.0.0.1.
 */
export function withProviders(modules: DocModule[], overrides: ProviderOverrides): TestingModuleBuilder {
  const sms = modules.map((m) => findSmsModule(m)).find((m) => m !== undefined);
  if (!sms) throw new Error('none of the modules registers SmsModule');
  const provider = (sms.providers ?? []).find(
    (p: Provider): p is Exclude<Provider, Type> =>
      typeof p === 'object' && 'provide' in p && p.provide === SMS_MODULE_OPTIONS,
  );
  if (!provider) throw new Error('SmsModule has no options provider');
  const builder = Test.createTestingModule({ imports: modules }).overrideProvider(SMS_MODULE_OPTIONS);
  if ('useValue' in provider)
    return builder.useValue(pointed(provider.useValue as SmsModuleOptions, overrides));
  const { useFactory, inject = [] } = provider as FactoryProvider<SmsModuleOptions>;
  return builder.useFactory({
    factory: async (...deps: unknown[]) => pointed(await useFactory(...deps), overrides),
    inject,
  });
}
