import { snappyUncompress } from 'hyparquet';
import { snappyCompress as reference } from 'hyparquet-writer/src/snappy.js';
import { snappyCompress } from '../../src/snappy';

// Our snappyCompress must write hyparquet-writer's bytes for every input (staging files keep
// their bytes), and those bytes must decompress to the input (hyparquet's reader).

/** Deterministic bytes: `kind` picks how compressible they are. */
function bytes(
  length: number,
  kind: 'random' | 'zeros' | 'text' | 'timestamps',
  seed = 1,
): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  if (kind === 'random') for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  if (kind === 'text') {
    const words = ['evt-', 'lesson_started', 'u-17', 'course', '2026-03-01T', ':', '.000Z', ' '];
    for (let i = 0; i < length;) {
      for (const c of words[next() % words.length]) if (i < length) out[i++] = c.charCodeAt(0);
    }
  }
  if (kind === 'timestamps') {
    const view = new DataView(out.buffer);
    for (let i = 0; i + 8 <= length; i += 8) {
      view.setBigInt64(i, BigInt(1772323200000 + (next() % 86_400_000)), true);
    }
  }
  return out;
}

describe('snappyCompress', () => {
  const cases: [string, Uint8Array][] = [
    ['empty input', new Uint8Array(0)],
    ['1 byte', bytes(1, 'random')],
    ['14 bytes (under the input margin: one literal)', bytes(14, 'text')],
    ['15 bytes', bytes(15, 'zeros')],
    ['16 bytes', bytes(16, 'text')],
    ['a 61-byte literal (two-byte literal header)', bytes(61, 'random')],
    ['300 random bytes (three-byte literal header)', bytes(300, 'random')],
    [
      '100 000 random bytes (literal over 65 535 bytes, four-byte header)',
      bytes(100_000, 'random', 7),
    ],
    ['200 000 zeros (copies of 64, offsets within 65 535)', bytes(200_000, 'zeros')],
    ['300 000 bytes of text (short copies, far offsets)', bytes(300_000, 'text', 3)],
    ['80 000 bytes of timestamps (a staging occurred_at page)', bytes(80_000, 'timestamps', 5)],
    ['2 MiB of text (the largest hash table)', bytes(2 * 1024 * 1024, 'text', 9)],
  ];

  it.each(cases)('writes hyparquet-writer’s bytes for %s', (_name, input) => {
    const ours = snappyCompress(input);

    expect(Buffer.from(ours).equals(Buffer.from(reference(input)))).toBe(true);
    const back = new Uint8Array(input.length);
    snappyUncompress(ours, back);
    expect(Buffer.from(back).equals(Buffer.from(input))).toBe(true);
  });

  it('compresses what repeats (a test of the data, so equal bytes above are not two empty outputs)', () => {
    expect(snappyCompress(bytes(200_000, 'zeros')).length).toBe(9_380);
    expect(snappyCompress(bytes(100_000, 'random', 7)).length).toBe(100_007);
  });
});
