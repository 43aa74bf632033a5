/**
 * A seeded PRNG (mulberry32) for generated test rows: the same seed gives the same sequence on
 * every machine. (tools/samples has the same generator for the sample data; a lib's tests do not
 * import a tool.)
 */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
