export * from './smspilot.codes';
export * from './smspilot.types';
export { validateSmsPilotConfig } from './smspilot.config';
export { SMSPILOT_DEFAULT_BASE_URL, SmsPilotProvider, smsPilotDriver } from './smspilot.provider';
