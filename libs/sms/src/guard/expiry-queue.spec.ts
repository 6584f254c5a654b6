import { ExpiryQueue } from './expiry-queue';

interface Item {
  key: number;
  expiresAt: number;
}

describe('ExpiryQueue', () => {
  it('gives the expired live items in expiry order within each duration, skipping dead ones', () => {
    const live = new Set<Item>();
    const queue = new ExpiryQueue<Item>((item) => live.has(item));
    const items = [
      { key: 1, expiresAt: 100 },
      { key: 2, expiresAt: 200 },
      { key: 3, expiresAt: 1000 },
      { key: 4, expiresAt: 300 },
    ];
    items.forEach((item, i) => {
      live.add(item);
      queue.push(i === 2 ? 1000 : 100, item, live.size);
    });
    live.delete(items[1]);
    const expired: number[] = [];
    queue.sweep(300, (item) => expired.push(item.key));
    expect(expired).toEqual([1, 4]);
    expect(queue.earliest()).toBe(1000);
    expect(queue.length).toBe(1);
  });

  it('stays within twice the live items however many dead ones were pushed', () => {
    const live = new Set<Item>();
    const queue = new ExpiryQueue<Item>((item) => live.has(item));
    for (let key = 0; key < 100_000; key++) {
      const item = { key, expiresAt: 1_000_000 + key };
      if (live.size >= 10) live.delete(live.values().next().value!);
      live.add(item);
      queue.push(60_000, item, live.size);
    }
    expect(queue.length).toBeLessThanOrEqual(2 * 10 + 1024 + 1);
    const expired: number[] = [];
    queue.sweep(Number.MAX_SAFE_INTEGER, (item) => expired.push(item.key));
    expect(expired).toEqual([99_990, 99_991, 99_992, 99_993, 99_994, 99_995, 99_996, 99_997, 99_998, 99_999]);
    expect(queue.length).toBe(0);
    expect(queue.earliest()).toBeUndefined();
  });
});
