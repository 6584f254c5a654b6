import { Redis } from 'ioredis';
import { whenReady } from './redis-deadline';
import { closedPort } from '../../../../test/fakes/closed-port';

describe('whenReady', () => {
  it('lets 50 calls wait through an outage on one ready listener, and gives up on time', async () => {
    const client = new Redis(await closedPort(), '127.0.0.1', {
      retryStrategy: () => 20,
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => undefined);
    const before = client.listenerCount('ready');
    try {
      const started = Date.now();
      const waits = Array.from({ length: 50 }, () => whenReady(client, 200));
      expect(client.listenerCount('ready') - before).toBe(1);
      await expect(Promise.all(waits)).resolves.toEqual(Array.from({ length: 50 }, () => false));
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      client.disconnect();
    }
  });
});
