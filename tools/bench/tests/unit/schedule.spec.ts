import { describe, expect, it } from '@jest/globals';
import { roundRobin } from '../../src/schedule';

describe('roundRobin', () => {
  it('rotates the start of each round', () => {
    expect(roundRobin(['a', 'b', 'c'], 4)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
  });

  it('puts every item in every position equally often over a multiple of its length', () => {
    const rounds = roundRobin(['a', 'b', 'c'], 6);
    for (const position of [0, 1, 2]) {
      const counts = rounds
        .map((r) => r[position])
        .reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});
      expect(counts).toEqual({ a: 2, b: 2, c: 2 });
    }
  });

  it('copes with no items and no rounds', () => {
    expect(roundRobin([], 2)).toEqual([[], []]);
    expect(roundRobin(['a'], 0)).toEqual([]);
  });
});
