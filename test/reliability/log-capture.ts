import { inspect } from 'node:util';
import { type LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line at every level, for secret scans. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private keep(level: string, message: unknown, params: unknown[]): void {
    this.lines.push(
      `${level} ${[message, ...params].map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 8 }))).join(' ')}`,
    );
  }

  log(message: unknown, ...params: unknown[]) {
    this.keep('log', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.keep('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.keep('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.keep('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.keep('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.keep('fatal', message, params);
  }
}

/** Every way an error can be printed. */
export function renderings(error: unknown): string[] {
  return [
    String(error),
    error instanceof Error ? error.message : '',
    error instanceof Error ? (error.stack ?? '') : '',
    JSON.stringify(error),
    inspect(error, { depth: 8, showHidden: true }),
  ];
}
