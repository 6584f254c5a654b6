import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { DEMO_ENV_FILES } from '../config/server.config';
import { startTelemetry } from './telemetry';

/**
 * The `OTEL_…` variables of the demo's `.env` files, put into the process environment (which wins)
 * before the SDK starts: `ConfigModule` reads those files later, after the library has been loaded.
 */
function loadOtelVariables(): void {
  for (const file of DEMO_ENV_FILES.filter((f) => existsSync(f))) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8'))))
      if (key.startsWith('OTEL_') && process.env[key] === undefined) process.env[key] = value;
  }
}

loadOtelVariables();

/**
 * The demo's OpenTelemetry SDK, started when this file is loaded: `main.ts` imports it first, ahead
 * of the application and the library, whose instruments must find the meter provider registered.
 */
export const telemetry = startTelemetry();
