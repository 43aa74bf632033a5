import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtlInputError, EtlSpillError } from '../errors';
import type { StagedRow } from '../staging';
import {
  encodeAsciiId,
  encodeAsciiRow,
  encodeRow,
  MAX_ASCII_ROW_BYTES,
  maxRowBytes,
  maxStringBytes,
  rowEnd,
  SpillReader,
  writeString,
  type AsciiRow,
} from './codec';

/** Hash partitions of the id file by default: a 5 M-row object leaves ≈ 20 000 ids per partition. */
export const DEFAULT_DEDUPE_PARTITIONS = 256;

/** Bytes of sealed blocks allowed in flight to the disk before {@link FirstOccurrenceSpill.flush} waits. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** Bytes of one block of the row file (and of the buffer that reads it back). */
const DEFAULT_ROW_BLOCK_BYTES = 1024 * 1024;
/** Bytes of one block of a partition in the id file: memory is `partitions × blockBytes` (8 MiB). */
const DEFAULT_ID_BLOCK_BYTES = 32 * 1024;

/** Options of {@link FirstOccurrenceSpill.create}. */
export interface SpillOptions {
  /** Folder under which a private temp folder is made (default `os.tmpdir()`, Lambda's `/tmp`). */
  tempDir?: string;
  /** Hash partitions of the id file (default {@link DEFAULT_DEDUPE_PARTITIONS}). */
  partitions?: number;
  /** Row-file block size in bytes (tests make it tiny to cross block boundaries). */
  rowBlockBytes?: number;
  /** Id-file block size in bytes, per partition (tests make it tiny). */
  idBlockBytes?: number;
  /** Says what is being de-duplicated, in error messages (e.g. the raw object's key). */
  label?: string;
}

interface Partition {
  buffer: Buffer | undefined;
  used: number;
  /** File offset and length of each block already written, in write order. */
  offsets: number[];
  lengths: number[];
}

/**
 * Exact "first occurrence wins" de-duplication by `event_id` in memory that does not grow with
 * the number of rows (GitHub issue 5: "Memory stays bounded whatever the object size").
 *
 * 1. {@link add} (synchronous, one call per row, in order) appends the row, compactly encoded,
 *    to a row file, and `(sequence number, event_id)` to one of `partitions` partitions of an id
 *    file, chosen by a stable hash of the id. Both files live in a private folder under
 *    `tempDir`; partitions are buffered in blocks and written to the one id file, each block's
 *    offset remembered, so there is one file handle per file whatever `partitions` is.
 *    Call {@link flush} between input chunks: it waits for the queued writes.
 * 2. {@link duplicates} reads each partition alone (≈ rows / partitions ids) and compares ids
 *    exactly (a `Set` of strings, not hashes): an id seen earlier in the partition marks the later
 *    row's sequence number as a duplicate. The result is a sorted `Uint32Array`, 4 bytes per
 *    duplicate.
 * 3. {@link replay} reads the row file back block by block and hands every row that is not a
 *    duplicate, in the original order, to a callback, awaiting the promise it returns (if any)
 *    so the caller can write a full batch out and wait for its sink's backpressure.
 *
 * {@link dispose} closes and deletes everything; call it in `finally`.
 *
 * @example
 * const spill = await FirstOccurrenceSpill.create({ tempDir: '/tmp' });
 * try {
 *   for (const row of rows) spill.add(row);
 *   const duplicates = await spill.duplicates();
 *   await spill.replay(duplicates, (row) => {
 *     staging.addRow(row);
 *     if (staging.hasFullGroups) return staging.flushFull();
 *   });
 * } finally {
 *   await spill.dispose();
 * }
 */
export class FirstOccurrenceSpill {
  readonly #dir: string;
  readonly #rowFile: FileHandle;
  readonly #idFile: FileHandle;
  readonly #rowBlockBytes: number;
  readonly #idBlockBytes: number;
  readonly #partitions: Partition[];
  readonly #label: string;
  #rowBuffer: Buffer;
  #rowUsed = 0;
  #rowBlocks: number[] = [];
  #rowFileBytes = 0;
  #idFileBytes = 0;
  #rows = 0;
  /** Writes in flight (a write removes itself when done) and how many bytes they hold. */
  readonly #pending = new Set<Promise<void>>();
  /**
   * Block buffers whose write has finished, for the next blocks: a fresh buffer per block made
   * dead ArrayBuffers (≈ 5 000 id blocks and 270 row blocks at 5 M rows) that V8 only frees at a
   * GC its external-memory accounting triggers late, so peak RSS grew with the object (issue 17).
   */
  readonly #freeRowBuffers: Buffer[] = [];
  readonly #freeIdBuffers: Buffer[] = [];
  #pendingBytes = 0;
  #failure: unknown;

  private constructor(
    dir: string,
    rowFile: FileHandle,
    idFile: FileHandle,
    options: Required<Omit<SpillOptions, 'tempDir'>>,
  ) {
    this.#dir = dir;
    this.#rowFile = rowFile;
    this.#idFile = idFile;
    this.#rowBlockBytes = options.rowBlockBytes;
    this.#idBlockBytes = options.idBlockBytes;
    this.#label = options.label;
    this.#rowBuffer = Buffer.allocUnsafe(this.#rowBlockBytes);
    this.#partitions = Array.from({ length: options.partitions }, () => ({
      buffer: undefined,
      used: 0,
      offsets: [],
      lengths: [],
    }));
  }

  /**
   * Makes the private temp folder and opens its two files.
   *
   * @throws {EtlInputError} when `partitions` or a block size is not a positive integer.
   * @throws {EtlSpillError} when the folder cannot be created (missing or read-only `tempDir`).
   */
  static async create(options: SpillOptions = {}): Promise<FirstOccurrenceSpill> {
    const partitions = checkPartitions(options.partitions);
    const rowBlockBytes = positive('rowBlockBytes', options.rowBlockBytes, DEFAULT_ROW_BLOCK_BYTES);
    const idBlockBytes = positive('idBlockBytes', options.idBlockBytes, DEFAULT_ID_BLOCK_BYTES);
    const label = options.label ?? 'rows';
    const parent = options.tempDir ?? tmpdir();
    let dir: string;
    try {
      dir = await mkdtemp(join(parent, 'slipway-etl-dedupe-'));
    } catch (error) {
      throw spillError(label, parent, 0, 0, error);
    }
    const handles: FileHandle[] = [];
    try {
      handles.push(await open(join(dir, 'rows.bin'), 'w+'));
      handles.push(await open(join(dir, 'ids.bin'), 'w+'));
    } catch (error) {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
      await rm(dir, { recursive: true, force: true });
      throw spillError(label, dir, 0, 0, error);
    }
    return new FirstOccurrenceSpill(dir, handles[0], handles[1], {
      partitions,
      rowBlockBytes,
      idBlockBytes,
      label,
    });
  }

  /** The private temp folder (deleted by {@link dispose}). */
  get dir(): string {
    return this.#dir;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes written to the temp folder so far (row file + id file). */
  get bytesWritten(): number {
    return this.#rowFileBytes + this.#idFileBytes;
  }

  /** Appends one row (in input order); the writes it causes are queued, see {@link flush}. */
  add(row: StagedRow): void {
    const seq = this.#rows++;
    const rowBytes = maxRowBytes(row);
    if (this.#rowUsed + rowBytes > this.#rowBuffer.length) {
      this.#sealRowBlock();
      if (rowBytes > this.#rowBuffer.length) this.#rowBuffer = Buffer.allocUnsafe(rowBytes);
    }
    this.#rowUsed = encodeRow(this.#rowBuffer, this.#rowUsed, row);

    const partition = this.#partitions[partitionOf(row.event_id, this.#partitions.length)];
    const idBytes = 4 + maxStringBytes(row.event_id);
    if (!partition.buffer || partition.used + idBytes > partition.buffer.length) {
      this.#sealIdBlock(partition);
      partition.buffer = this.#idBuffer(idBytes);
    }
    partition.buffer.writeUInt32LE(seq, partition.used);
    partition.used = writeString(partition.buffer, partition.used + 4, row.event_id);
  }

  /**
   * {@link add} for a row of Transform's fast path, whose ids are ASCII bytes of `line`: writes
   * the same bytes to the same partition as `add` of the same row, without making its strings.
   */
  addAscii(line: Uint8Array, row: AsciiRow, sourceLine: number): void {
    const seq = this.#rows++;
    if (this.#rowUsed + MAX_ASCII_ROW_BYTES > this.#rowBuffer.length) {
      this.#sealRowBlock();
      if (MAX_ASCII_ROW_BYTES > this.#rowBuffer.length) {
        this.#rowBuffer = Buffer.allocUnsafe(MAX_ASCII_ROW_BYTES);
      }
    }
    this.#rowUsed = encodeAsciiRow(this.#rowBuffer, this.#rowUsed, line, row, sourceLine);

    const { eventIdStart: from, eventIdEnd: to } = row;
    // partitionOf over UTF-16 code units: for ASCII they are the bytes.
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) {
      hash ^= line[i];
      hash = Math.imul(hash, 0x01000193);
    }
    const partition = this.#partitions[finishHash(hash) % this.#partitions.length];
    const idBytes = 5 + (to - from);
    if (!partition.buffer || partition.used + idBytes > partition.buffer.length) {
      this.#sealIdBlock(partition);
      partition.buffer = this.#idBuffer(idBytes);
    }
    partition.used = encodeAsciiId(partition.buffer, partition.used, seq, line, from, to);
  }

  /**
   * Lets the disk catch up: waits while more than {@link MAX_PENDING_BYTES} are being written
   * (so writes overlap with parsing, and memory stays bounded), and fails with
   * {@link EtlSpillError} if a write failed. Call it between input chunks.
   */
  async flush(): Promise<void> {
    while (this.#pendingBytes > MAX_PENDING_BYTES && this.#failure === undefined) {
      await Promise.race(this.#pending);
    }
    this.#throwIfFailed();
  }

  async #drain(): Promise<void> {
    await Promise.all(this.#pending);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) {
      throw spillError(this.#label, this.#dir, this.#rows, this.bytesWritten, this.#failure);
    }
  }

  /**
   * The sequence numbers (0-based, in {@link add} order) of the rows whose `event_id` an earlier
   * row already had, sorted. Call once, after the last {@link add}.
   */
  async duplicates(): Promise<Uint32Array> {
    this.#sealRowBlock();
    // A partition whose ids all fit its first block has never been written out: it is checked
    // where it is (a 100 000-row object wrote and read back 256 small blocks for nothing).
    // The others write their last block, and are read back whole.
    for (const partition of this.#partitions) {
      if (partition.offsets.length) this.#sealIdBlock(partition);
    }
    await this.#drain();
    let found = new Uint32Array(64);
    let count = 0;
    // Each partition's blocks are read at once, and the next partition's while this one is
    // checked: the reads are small and scattered, so waiting for each in turn was mostly latency.
    const sizes = this.#partitions.map((p) => p.lengths.reduce((sum, length) => sum + length, 0));
    const largest = sizes.reduce((max, n) => Math.max(max, n), 0);
    let scratch = Buffer.allocUnsafe(largest);
    let spare = Buffer.allocUnsafe(largest);
    const load = (index: number, into: Buffer): Promise<unknown> => {
      const partition = this.#partitions[index];
      if (!partition.offsets.length) return Promise.resolve();
      let at = 0;
      return Promise.all(
        partition.offsets.map((offset, i) => {
          const read = this.#readFully(this.#idFile, into, at, partition.lengths[i], offset);
          at += partition.lengths[i];
          return read;
        }),
      );
    };
    let loading: Promise<unknown> | undefined = this.#partitions.length
      ? load(0, scratch)
      : undefined;
    for (let index = 0; index < this.#partitions.length; index++) {
      const partition = this.#partitions[index];
      const total = sizes[index];
      await loading;
      loading = index + 1 < this.#partitions.length ? load(index + 1, spare) : undefined;
      // A failed read ahead is reported by the await above, for the next partition.
      loading?.catch(() => undefined);
      const held = partition.offsets.length === 0 ? partition.buffer : undefined;
      if (total === 0 && !(held && partition.used)) {
        [scratch, spare] = [spare, scratch];
        continue;
      }
      const reader = new SpillReader(
        held ? held.subarray(0, partition.used) : scratch.subarray(0, total),
      );
      const seen = new Set<string>();
      while (!reader.done) {
        const seq = reader.u32();
        const id = reader.string();
        if (!seen.has(id)) {
          seen.add(id);
          continue;
        }
        if (count === found.length) {
          const grown = new Uint32Array(found.length * 2);
          grown.set(found);
          found = grown;
        }
        found[count++] = seq;
      }
      // Drop the partition's blocks from memory before the next one.
      partition.offsets = [];
      partition.lengths = [];
      partition.buffer = undefined;
      partition.used = 0;
      [scratch, spare] = [spare, scratch];
    }
    // Partitions interleave sequence numbers: sort once (numeric, typed-array sort).
    return found.slice(0, count).sort();
  }

  /**
   * Reads the rows back in order and calls `onRow` for every row whose sequence number is not in
   * `duplicates` (sorted, as {@link duplicates} returns it). `onRow` gets one reused object: copy
   * what you keep. When `onRow` returns a promise (its sink is full), the next row waits for it:
   * the caller writes out as soon as it has a full batch, so what it buffers lives for one batch,
   * not for one block of the row file (see the README, "Memory and backpressure").
   */
  async replay(
    duplicates: Uint32Array,
    onRow: (row: StagedRow) => void | Promise<void>,
  ): Promise<void> {
    const row: StagedRow = {
      event_id: '',
      event_type: '',
      user_id: '',
      course_id: '',
      occurred_at: 0,
      score: null,
      max_score: null,
      seconds_watched: null,
      source_line: 0,
    };
    const scratch = Buffer.allocUnsafe(this.#rowBlocks.reduce((max, n) => Math.max(max, n), 0));
    let position = 0;
    let seq = 0;
    let next = 0;
    for (const length of this.#rowBlocks) {
      await this.#readFully(this.#rowFile, scratch, 0, length, position);
      position += length;
      const reader = new SpillReader(scratch.subarray(0, length));
      while (!reader.done) {
        reader.row(row);
        if (next < duplicates.length && duplicates[next] === seq) next++;
        else {
          const wait = onRow(row);
          if (wait) await wait;
        }
        seq++;
      }
    }
  }

  /**
   * {@link replay} without decoding: calls `onRow` with each kept row's bytes in the spill's
   * encoding (`buffer[start, end)`, valid only during the call), which the staging writer copies
   * as they are. The next block of the row file is read while this one is handed out.
   */
  async replayEncoded(
    duplicates: Uint32Array,
    onRow: (buffer: Buffer, start: number, end: number) => void | Promise<void>,
  ): Promise<void> {
    const largest = this.#rowBlocks.reduce((max, n) => Math.max(max, n), 0);
    let current = Buffer.allocUnsafe(largest);
    let spare = Buffer.allocUnsafe(largest);
    const blocks = this.#rowBlocks;
    let position = 0;
    let seq = 0;
    let next = 0;
    let reading: Promise<void> | undefined = blocks.length
      ? this.#readFully(this.#rowFile, current, 0, blocks[0], 0)
      : undefined;
    for (let b = 0; b < blocks.length; b++) {
      await reading;
      const length = blocks[b];
      position += length;
      const block = current;
      reading =
        b + 1 < blocks.length
          ? this.#readFully(this.#rowFile, spare, 0, blocks[b + 1], position)
          : undefined;
      // A failed read ahead is reported by the await above, on the next block.
      reading?.catch(() => undefined);
      let offset = 0;
      while (offset < length) {
        const end = rowEnd(block, offset);
        if (next < duplicates.length && duplicates[next] === seq) next++;
        else {
          const wait = onRow(block, offset, end);
          if (wait) await wait;
        }
        offset = end;
        seq++;
      }
      current = spare;
      spare = block;
    }
  }

  /** Closes both files and deletes the temp folder. Safe to call more than once. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#pending);
    await Promise.allSettled([this.#rowFile.close(), this.#idFile.close()]);
    await rm(this.#dir, { recursive: true, force: true });
  }

  #sealRowBlock(): void {
    if (this.#rowUsed === 0) return;
    this.#write(this.#rowFile, this.#rowBuffer, this.#rowUsed, this.#rowFileBytes);
    this.#rowBlocks.push(this.#rowUsed);
    this.#rowFileBytes += this.#rowUsed;
    // The sealed buffer belongs to its pending write now.
    this.#rowBuffer = this.#freeRowBuffers.pop() ?? Buffer.allocUnsafe(this.#rowBlockBytes);
    this.#rowUsed = 0;
  }

  #sealIdBlock(partition: Partition): void {
    if (!partition.buffer || partition.used === 0) return;
    this.#write(this.#idFile, partition.buffer, partition.used, this.#idFileBytes);
    partition.offsets.push(this.#idFileBytes);
    partition.lengths.push(partition.used);
    this.#idFileBytes += partition.used;
    partition.buffer = undefined;
    partition.used = 0;
  }

  /** A buffer for a partition's next block: a free one, or a new one (bigger for a long id). */
  #idBuffer(bytes: number): Buffer {
    if (bytes <= this.#idBlockBytes) {
      return this.#freeIdBuffers.pop() ?? Buffer.allocUnsafe(this.#idBlockBytes);
    }
    return Buffer.allocUnsafe(bytes);
  }

  #write(file: FileHandle, buffer: Buffer, length: number, position: number): void {
    this.#pendingBytes += length;
    const write: Promise<void> = file.write(buffer, 0, length, position).then(
      () => {
        this.#pending.delete(write);
        this.#pendingBytes -= length;
        // Written: the buffer can hold a later block of the same size.
        if (buffer.length === this.#rowBlockBytes) this.#freeRowBuffers.push(buffer);
        else if (buffer.length === this.#idBlockBytes) this.#freeIdBuffers.push(buffer);
      },
      // Kept for flush(): a rejection nobody awaits yet must not crash the process.
      (error: unknown) => {
        this.#pending.delete(write);
        this.#pendingBytes -= length;
        this.#failure ??= error;
      },
    );
    this.#pending.add(write);
  }

  async #readFully(
    file: FileHandle,
    into: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<void> {
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await file.read(into, offset + done, length - done, position + done);
        if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
        done += bytesRead;
      }
    } catch (error) {
      throw spillError(this.#label, this.#dir, this.#rows, this.bytesWritten, error);
    }
  }
}

/** Stable partition of an id: FNV-1a over its UTF-16 code units, then murmur3's finalizer. */
export function partitionOf(id: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return finishHash(hash) % partitions;
}

/** murmur3's 32-bit finalizer, as an unsigned number. */
function finishHash(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The number of partitions to use: `value` checked, or {@link DEFAULT_DEDUPE_PARTITIONS}.
 *
 * @throws {EtlInputError} unless it is an integer from 1 to 65 536.
 */
export function checkPartitions(value: number | undefined): number {
  const partitions = positive('dedupePartitions', value, DEFAULT_DEDUPE_PARTITIONS);
  if (partitions > 65_536) {
    throw new EtlInputError(
      `dedupePartitions must be at most 65536 (each one buffers a block in memory), got ${partitions}.`,
    );
  }
  return partitions;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new EtlInputError(`${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

function spillError(
  label: string,
  dir: string,
  rows: number,
  bytes: number,
  cause: unknown,
): EtlSpillError {
  const code = (cause as { code?: string }).code;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `The temp folder is full: give the function more ephemeral storage (Lambda's /tmp, 512 MB by default, up to 10 GB); de-duplication needs about 100 bytes per valid row.`
      : `Check that the temp folder exists and is writable (the tempDir option, or the OS temp folder).`;
  return new EtlSpillError(
    `De-duplicating ${label} failed in the temp folder ${dir} after ${rows} row(s) and ${bytes} byte(s) written (${reason}). ${fix}`,
    { cause },
  );
}
