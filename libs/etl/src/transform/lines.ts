/** One physical line of a raw object, without its `\n` or `\r\n`. */
export interface RawLine {
  /** 1-based line number in the decompressed object. */
  number: number;
  /** The line's bytes; for a line over the limit, only its first {@link KEPT_BYTES_OF_LONG_LINE} bytes. */
  bytes: Buffer;
  /** Set when the line was longer than the limit: its full length in bytes. */
  tooLongBytes?: number;
}

/** How much of an over-long line is kept for the quarantine record. */
export const KEPT_BYTES_OF_LONG_LINE = 1024;

/** Default maximum length of one line (1 MiB): a bigger line is rejected, not buffered. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream into lines as chunks arrive, never holding more than one line (bounded
 * by `maxLineBytes`) besides the current chunk. Handles `\n` and `\r\n` endings and a last line
 * without a newline. A line over the limit is not accumulated: its start is kept and the rest is
 * skipped up to the next newline, and it comes out with `tooLongBytes` set.
 *
 * Synchronous on purpose: one callback per line is far cheaper than one awaited promise per
 * line, and the caller awaits its sinks once per chunk instead.
 *
 * @example
 * const splitter = new LineSplitter(1024 * 1024);
 * for await (const chunk of body) splitter.push(chunk, (line) => handle(line));
 * splitter.end((line) => handle(line));
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #parts: Buffer[] = [];
  #partBytes = 0;
  #overflowBytes = 0;
  #lineNumber = 0;

  constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds one chunk; `emit` is called for every line it completes. */
  push(chunk: Buffer, emit: (line: RawLine) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.#append(chunk.subarray(start));
        return;
      }
      this.#append(chunk.subarray(start, newline));
      emit(this.#takeLine());
      start = newline + 1;
    }
  }

  /** Emits the last line when the object does not end with a newline. */
  end(emit: (line: RawLine) => void): void {
    if (this.#partBytes > 0 || this.#overflowBytes > 0) emit(this.#takeLine());
  }

  #append(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#overflowBytes > 0) {
      this.#overflowBytes += piece.length;
      return;
    }
    // The limit is on the line's content: one extra byte is allowed for a `\r` that will go.
    if (this.#partBytes + piece.length > this.#maxLineBytes + 1) {
      const kept = Buffer.concat([...this.#parts, piece]).subarray(0, KEPT_BYTES_OF_LONG_LINE);
      this.#overflowBytes = this.#partBytes + piece.length;
      this.#parts = [Buffer.from(kept)];
      this.#partBytes = kept.length;
      return;
    }
    this.#parts.push(piece);
    this.#partBytes += piece.length;
  }

  #takeLine(): RawLine {
    this.#lineNumber++;
    let bytes =
      this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts, this.#partBytes);
    let tooLongBytes: number | undefined;
    if (this.#overflowBytes > 0) {
      tooLongBytes = this.#overflowBytes;
    } else {
      if (bytes.length && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, -1);
      if (bytes.length > this.#maxLineBytes) {
        tooLongBytes = bytes.length;
        bytes = bytes.subarray(0, KEPT_BYTES_OF_LONG_LINE);
      }
    }
    this.#parts = [];
    this.#partBytes = 0;
    this.#overflowBytes = 0;
    return tooLongBytes === undefined
      ? { number: this.#lineNumber, bytes }
      : { number: this.#lineNumber, bytes, tooLongBytes };
  }
}
