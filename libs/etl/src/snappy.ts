// Snappy compression with exactly the bytes of hyparquet-writer 0.17's `snappyCompress`
// (src/snappy.js, itself derived from snappyjs, MIT, (c) 2016 Zhipeng Jia): the same hash, hash
// table sizes, skipping and token choices, so staging files keep their bytes. What differs is
// only where the bytes go: into one preallocated array instead of a `ByteWriter` call (with its
// bounds check and DataView write) per byte and a subarray per literal. Measured on staging pages
// (libs/etl/README.md, "Staging Parquet"); `snappy.spec.ts` compares both on varied inputs.

const MAX_HASH_TABLE_BITS = 14;
const MAX_OFFSET = 0xffff;
const INPUT_MARGIN = 15;
const tables: Uint32Array[] = [];

/** The output of the last call, reused: a fresh array per page was 0.5 MB of dead external memory per row group, which V8 frees late (peak RSS grew with the object). */
let output = new Uint8Array(0);

/**
 * Snappy-compresses `input` (a single raw Snappy stream, as Parquet's SNAPPY codec stores it).
 * The result is a view of a buffer the next call overwrites: copy it (or write it out) first, as
 * hyparquet-writer does with a compressor's result.
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const size = input.length;
  // Literals cost at most 5 header bytes each and copies never grow: this bound is generous.
  const bound = 32 + size + Math.ceil(size / 6);
  if (output.length < bound) output = new Uint8Array(Math.max(bound, 2 * output.length));
  const out = output;
  let op = 0;
  for (let value = size; ; value >>>= 7) {
    if ((value & ~0x7f) === 0) {
      out[op++] = value;
      break;
    }
    out[op++] = (value & 0x7f) | 0x80;
  }

  let bits = 1;
  while (1 << bits <= size && bits <= MAX_HASH_TABLE_BITS) bits++;
  bits--;
  const shift = 32 - bits;
  let table = tables[bits];
  if (!table) table = tables[bits] = new Uint32Array(1 << bits);
  table.fill(0);

  let nextEmit = 0;
  if (size >= INPUT_MARGIN) {
    const ipLimit = size - INPUT_MARGIN;
    let ip = 1;
    let nextHash = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
    let candidate = 0;
    outer: for (;;) {
      let skip = 32;
      let nextIp = ip;
      do {
        ip = nextIp;
        const hash = nextHash;
        nextIp = ip + (skip >>> 5);
        skip++;
        if (ip > ipLimit) break outer;
        nextHash = Math.imul(load32(input, nextIp), 0x1e35a7bd) >>> shift;
        candidate = table[hash];
        table[hash] = ip;
      } while (ip - candidate > MAX_OFFSET || !equals32(input, ip, candidate));

      op = emitLiteral(out, op, input, nextEmit, ip - nextEmit);

      do {
        const base = ip;
        let matched = 4;
        while (ip + matched < size && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = emitCopy(out, op, base - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[Math.imul(load32(input, ip - 1), 0x1e35a7bd) >>> shift] = ip - 1;
        const current = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
        candidate = table[current];
        table[current] = ip;
      } while (ip - candidate <= MAX_OFFSET && equals32(input, ip, candidate));

      ip++;
      nextHash = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
    }
  }
  if (nextEmit < size) op = emitLiteral(out, op, input, nextEmit, size - nextEmit);
  return out.subarray(0, op);
}

function load32(array: Uint8Array, at: number): number {
  return array[at] + (array[at + 1] << 8) + (array[at + 2] << 16) + (array[at + 3] << 24);
}

function equals32(array: Uint8Array, a: number, b: number): boolean {
  return (
    array[a] === array[b] &&
    array[a + 1] === array[b + 1] &&
    array[a + 2] === array[b + 2] &&
    array[a + 3] === array[b + 3]
  );
}

function emitLiteral(
  out: Uint8Array,
  op: number,
  input: Uint8Array,
  from: number,
  length: number,
): number {
  if (length <= 60) {
    out[op++] = (length - 1) << 2;
  } else {
    const value = length - 1;
    const bytes = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
    out[op++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[op++] = value >>> (i * 8);
  }
  if (length < 32) {
    for (let i = 0; i < length; i++) out[op + i] = input[from + i];
  } else {
    out.set(input.subarray(from, from + length), op);
  }
  return op + length;
}

function emitCopyUpTo64(out: Uint8Array, op: number, offset: number, length: number): number {
  if (length < 12 && offset < 2048) {
    out[op++] = 1 + ((length - 4) << 2) + ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 + ((length - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

function emitCopy(out: Uint8Array, op: number, offset: number, length: number): number {
  while (length >= 68) {
    op = emitCopyUpTo64(out, op, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    op = emitCopyUpTo64(out, op, offset, 60);
    length -= 60;
  }
  return emitCopyUpTo64(out, op, offset, length);
}
