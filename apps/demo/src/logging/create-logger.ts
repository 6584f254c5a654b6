import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { type Env } from '../config/sms.config';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The demo's logger: Nest's `ConsoleLogger`, one JSON object a line (`LOG_FORMAT=json`, the
 * default) or coloured text (`LOG_FORMAT=text`), from `LOG_LEVEL` (default `log`) up.
 *
 * @example
 * {"level":"log","pid":4242,"timestamp":1767000000000,"message":{"event":"sms.sent","provider":"dev","recipients":1},"context":"SmsEvents"}
 */
export function createLogger(env: Env): ConsoleLogger {
  const format = env.LOG_FORMAT?.trim() || 'json';
  const level = (env.LOG_LEVEL?.trim() || 'log') as LogLevel;
  if (format !== 'json' && format !== 'text')
    throw new Error(`LOG_FORMAT must be json or text, not "${format}"`);
  if (!LEVELS.includes(level))
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${level}"`);
  const logLevels = LEVELS.slice(0, LEVELS.indexOf(level) + 1);
  return new ConsoleLogger({ json: format === 'json', colors: format === 'text', logLevels });
}
