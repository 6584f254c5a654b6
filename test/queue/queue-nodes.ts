import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { type QueueNodeConfig, type QueueNodeMessage } from './processes/sms-queue-node';

const SCRIPT = resolve(__dirname, 'processes/sms-queue-node.ts');
const ROOT = resolve(__dirname, '../..');

/** A child process running `processes/sms-queue-node.ts` (TypeScript through @swc-node/register). */
export class QueueNode {
  private static readonly all = new Set<QueueNode>();
  /** The last lines the child wrote to stderr, for failure messages. */
  readonly log: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly messages: QueueNodeMessage[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m) => {
      this.messages.push(m as QueueNodeMessage);
      this.waiters.forEach((w) => w());
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.log.push(...chunk.split('\n').filter((l) => l !== ''));
      if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    });
    child.stdout!.resume();
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    void this.exited.then(() => this.waiters.forEach((w) => w()));
  }

  /** Starts a node; a worker is returned once it takes jobs. */
  static async start(config: QueueNodeConfig): Promise<QueueNode> {
    const child = fork(SCRIPT, [], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, SMSQ_NODE: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const node = new QueueNode(child);
    QueueNode.all.add(node);
    if (config.role === 'worker') await node.next('ready', 30_000);
    return node;
  }

  /** Kills every node still running (test clean-up). */
  static async stopAll(): Promise<void> {
    await Promise.all(
      [...QueueNode.all].map(async (node) => {
        QueueNode.all.delete(node);
        if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
        await node.exited;
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The next message of a type (one already received counts). */
  async next<T extends QueueNodeMessage['type']>(
    type: T,
    timeoutMs = 60_000,
  ): Promise<Extract<QueueNodeMessage, { type: T }>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.type === type || m.type === 'failed');
      if (found?.type === 'failed')
        throw new Error(`Queue node ${this.pid} failed: ${found.error}\n${this.tail()}`);
      if (found) return found as Extract<QueueNodeMessage, { type: T }>;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`Queue node ${this.pid} exited before "${type}"\n${this.tail()}`);
      }
      if (Date.now() > until)
        throw new Error(`Queue node ${this.pid}: no "${type}" in ${timeoutMs} ms\n${this.tail()}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 200);
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          r();
        };
        this.waiters.add(wake);
      });
    }
  }

  /** The child's last stderr lines. */
  tail(lines = 20): string {
    return this.log.slice(-lines).join('\n');
  }
}
