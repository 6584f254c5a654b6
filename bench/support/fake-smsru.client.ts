import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { type FakeSmsRuMessage } from './fake-smsru.protocol';

/** Requests and numbers the fake SMS.ru received. */
export interface FakeSmsRuStats {
  requests: number;
  sendRequests: number;
  numbers: number;
}

/**
 * The benchmark's fake SMS.ru, in a child process: the server's parsing and answering run on the
 * other core instead of the measured event loop, and the library and the raw baseline pay the same
 * loopback round trip.
 */
export class FakeSmsRu {
  private constructor(
    private readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
  ) {}

  /** Forks the server (with this process' loaders, so the TypeScript source runs) and waits for its port. */
  static async start(): Promise<FakeSmsRu> {
    const child = fork(join(__dirname, 'fake-smsru.process.ts'), [], {
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof') && arg !== '--expose-gc'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the fake SMS.ru exited with ${code} before listening`)));
      child.on('message', (message: FakeSmsRuMessage) => {
        if (message.type === 'listening') resolve(message.port);
      });
    });
    child.removeAllListeners('exit');
    return new FakeSmsRu(child, `http://127.0.0.1:${port}`);
  }

  /** The counters so far. */
  stats(): Promise<FakeSmsRuStats> {
    return new Promise((resolve) => {
      const onMessage = (message: FakeSmsRuMessage) => {
        if (message.type !== 'stats' || !('requests' in message)) return;
        this.child.off('message', onMessage);
        resolve({ requests: message.requests, sendRequests: message.sendRequests, numbers: message.numbers });
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'stats' } satisfies FakeSmsRuMessage);
    });
  }

  /** Stops the server process. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
