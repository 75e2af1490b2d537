import { describe, expect, it } from 'vitest';
import { advancingClock } from '../../functions/adapters/local-upgrade-starter.ts';

describe('advancingClock', () => {
  it('starts at the given instant and advances with real time', () => {
    let real = 1_000;
    const clock = advancingClock(new Date('2026-11-22T10:00:00Z'), () => real);

    const first = clock();
    real += 1_500;
    const later = clock();

    expect(first.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(later.toISOString()).toBe('2026-11-22T10:00:01.500Z');
  });
});
