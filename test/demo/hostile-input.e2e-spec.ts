import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type DemoApp, startDemo } from './demo-app';

/** 99 000 bytes of "a" + a combining acute accent: one grapheme cluster per pair, 66 000 UTF-16 units. */
const HOSTILE = 'a\u0301'.repeat(33_000);

describe('demo under a hostile text', () => {
  let demo: DemoApp;
  let base: string;

  beforeAll(async () => {
    demo = await startDemo({}, { listen: true });
    const { port } = demo.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => demo.close());

  it('refuses a 99 KB text of combining marks at once, and /health/live keeps answering meanwhile', async () => {
    const body = JSON.stringify({ to: '+79255070602', text: HOSTILE });
    expect(Buffer.byteLength(body)).toBeGreaterThan(99_000);
    let sending = true;
    const probes: number[] = [];
    const probing = (async () => {
      while (sending) {
        const started = performance.now();
        const res = await fetch(`${base}/health/live`);
        expect(res.status).toBe(200);
        probes.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${base}/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      ),
    );
    sending = false;
    await probing;
    for (const res of answers) {
      expect(res.status).toBe(400);
      const error = (await res.json()) as { code: string; details: Array<{ field: string }> };
      expect(error.details).toEqual([expect.objectContaining({ field: 'text' })]);
    }
    expect(demo.outbox.size).toBe(0);
    // Before the bounds came first, each such request held the event loop for about 7.7 s.
    expect(probes.length).toBeGreaterThan(0);
    expect(Math.max(...probes)).toBeLessThan(1_000);
  });
});
