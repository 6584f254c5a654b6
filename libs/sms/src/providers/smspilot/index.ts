export * from './smspilot.codes';
export * from './smspilot.types';
export { SMSPILOT_DEFAULT_BASE_URL, SmsPilotProvider } from './smspilot.provider';
export { smsPilotDriver } from './smspilot.driver';
export { type SmsPilotProviderConfig } from './smspilot.config';
