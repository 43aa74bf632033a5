/**
 * The order of each round: round `r` starts `r` places further into `items`, so over the rounds
 * every item takes every position equally often. A slow patch of the machine (another build, a
 * CPU frequency drop) then lands on all items alike instead of always on whoever runs first.
 *
 * @example
 * roundRobin(['a', 'b', 'c'], 2); // [['a', 'b', 'c'], ['b', 'c', 'a']]
 */
export function roundRobin<T>(items: readonly T[], rounds: number): T[][] {
  return Array.from({ length: rounds }, (_, r) => {
    const shift = items.length === 0 ? 0 : r % items.length;
    return [...items.slice(shift), ...items.slice(0, shift)];
  });
}
