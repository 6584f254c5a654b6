/** What the demo printed while a capture ran. */
export interface LogCapture {
  /** Everything written to stdout and stderr, as written. */
  text(): string;
  /** The JSON log lines (`LOG_FORMAT=json`), parsed; other output is skipped. */
  records(): Array<{ level: string; context?: string; message: unknown }>;
  /** Stops capturing (the output was kept from the terminal meanwhile). */
  restore(): void;
}

/** Captures stdout and stderr, where the demo's `ConsoleLogger` writes, until `restore()`. */
export function captureOutput(): LogCapture {
  const chunks: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(keep);
  const text = () => chunks.join('');
  return {
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
