// `nestjs-sms/driver`: what a driver author needs, the same the built-in drivers use.
// The contract
export {
  type ConfigProblem,
  type SmsCallbackRegistered,
  type SmsDriverContext,
  type SmsDriverDefinition,
} from '../providers/driver-definition';
export {
  type BaseProviderConfig,
  type CustomProviderConfig,
  type DefinedProviderConfig,
  DEFAULT_PROVIDER_LIMITS,
  type HttpProviderConfig,
  type OutgoingMessage,
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type ResolvedSmsModuleOptions,
  type SmsCapability,
  type SmsProvider,
  type SmsProviderContext,
  type SmsProviderLimits,
  isFinalStatus,
} from '../interfaces';
export { RECONCILE_HINT, SMS_ERROR_MESSAGES, type SmsErrorInit, failureClassOf } from '../errors';
export { type SegmentInfo, type SmsEncoding } from '../message';
// The HTTP transport: retries only what provably did not reach the provider, secrets out of errors
export {
  type CallOptions,
  createProviderTransport,
  type FormFields,
  type HttpAnswer,
  HttpTransport,
  type HttpTransportOptions,
  type TransportRetryEvent,
} from '../transport';
export { type SmsEgressOptions, type SmsTlsOptions } from '../transport/egress';
// Status callbacks
export {
  type SmsWebhookParser,
  type WebhookFields,
  type WebhookMethod,
  type WebhookParseContext,
  type WebhookParseResult,
} from '../webhooks/webhook-parser.interface';
// Shared helpers: config checks, batching, send assembly
export {
  commonConfigProblems,
  egressConfigProblems,
  HTTP_CONFIG_FIELDS,
  providerConfigProblems,
  SHARED_CONFIG_FIELDS,
  type SmsDriverClassFields,
} from '../providers/common-config';
export {
  credentialProblems,
  isNonEmptyText,
  isPositiveInteger,
  isUrl,
  wholeNumberProblems,
} from '../providers/shared/config-checks';
export { mapLimited, slices } from '../providers/shared/batching';
export * from '../providers/shared/send-assembly';
export { BUILT_IN_DRIVERS, type BuiltInProviderConfig, type DriverConfigOf } from '../providers/built-in';
// The built-in drivers: definitions, configs, outcome tables and operation types
export * from '../providers/built-in-exports';
// Extension points besides drivers: stores of idempotency keys and rate windows
export * from '../guard/idempotency-store.interface';
export { type RateLimitHit } from '../guard/rate-limit-store.interface';
export { MemoryIdempotencyStore } from '../guard/memory-idempotency.store';
export { MemoryRateLimitStore } from '../guard/memory-rate-limit.store';
export { type SmsCallbackRegistration } from '../webhooks/sms-webhooks.service';
