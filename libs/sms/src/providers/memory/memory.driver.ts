import { type MemoryProviderConfig } from './memory.config';
import { type SmsDriverDefinition } from '../driver-definition';
import { wholeNumberProblems } from '../shared/config-checks';
import { MemoryProvider } from './memory.provider';

/** The `memory` driver: accepts every valid message, delivers nothing (development and tests). */
export const memoryDriver: SmsDriverDefinition<MemoryProviderConfig> = {
  name: 'memory',
  fields: ['outboxLimit'],
  validate: (config) => wholeNumberProblems(config, ['outboxLimit']),
  create: ({ name, config, options }) =>
    new MemoryProvider(name, config, { defaultCountry: options.defaultCountry }),
  honoursDeadline: true,
};
