import { get, type IncomingMessage } from 'node:http';

/** One server-sent event. */
export interface ServerSentEvent {
  type: string;
  data: string;
}

/** A minimal server-sent events client over `node:http`, for tests. */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  ended = false;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).trimStart())
            .join('\n');
        this.events.push({ type: field('event') || 'message', data: field('data') });
      }
      this.notify();
    });
    response.on('end', () => {
      this.ended = true;
      this.notify();
    });
  }

  /** Opens the stream and resolves once the response headers have arrived. */
  static open(url: string): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      get(url, { headers: { accept: 'text/event-stream' } }, (res) => resolve(new SseClient(res))).on(
        'error',
        reject,
      );
    });
  }

  /** Resolves when `check` holds (checked on every chunk), rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 2000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`SSE: condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.response.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
