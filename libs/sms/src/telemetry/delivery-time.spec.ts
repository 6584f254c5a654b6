import { SendTimes } from './delivery-time';

const accepted = (...ids: string[]) => ids.map((id) => ({ id, accepted: true }));

describe('SendTimes (bounded send times of accepted messages)', () => {
  it('remembers accepted messages with an id only, and forgets one as it is taken', () => {
    const times = new SendTimes(10, 60_000);
    times.remember('ru', [...accepted('a'), { id: 'b', accepted: false }, { accepted: true }], 1_000);
    expect(times.size).toBe(1);
    expect(times.take('ru', 'a', 2_000)).toBe(1_000);
    expect(times.take('ru', 'a', 2_000)).toBeUndefined();
    expect(times.size).toBe(0);
  });

  it('keys by provider and id', () => {
    const times = new SendTimes(10, 60_000);
    times.remember('ru', accepted('1'), 1_000);
    expect(times.take('pilot', '1', 2_000)).toBeUndefined();
    expect(times.take('ru', '1', 2_000)).toBe(1_000);
  });

  it('past the maximum count drops the oldest first', () => {
    const times = new SendTimes(3, 60_000);
    times.remember('ru', accepted('1', '2', '3'), 1_000);
    times.remember('ru', accepted('4', '5'), 2_000);
    expect(times.size).toBe(3);
    expect(times.take('ru', '1', 3_000)).toBeUndefined();
    expect(times.take('ru', '2', 3_000)).toBeUndefined();
    expect(times.take('ru', '3', 3_000)).toBe(1_000);
    expect(times.take('ru', '5', 3_000)).toBe(2_000);
  });

  it('a message sent again counts as the newest', () => {
    const times = new SendTimes(2, 60_000);
    times.remember('ru', accepted('1', '2'), 1_000);
    times.remember('ru', accepted('1'), 2_000);
    times.remember('ru', accepted('3'), 3_000);
    expect(times.take('ru', '2', 4_000)).toBeUndefined();
    expect(times.take('ru', '1', 4_000)).toBe(2_000);
  });

  it('past the maximum age: not measured, and dropped at the next send', () => {
    const times = new SendTimes(10, 60_000);
    times.remember('ru', accepted('old', 'older'), 1_000);
    expect(times.take('ru', 'old', 61_001)).toBeUndefined();
    expect(times.size).toBe(1);
    times.remember('ru', accepted('new'), 61_001);
    expect(times.size).toBe(1);
    expect(times.take('ru', 'new', 61_002)).toBe(61_001);
  });
});
