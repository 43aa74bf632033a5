import type { Writable } from 'node:stream';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { writeWithBackpressure } from './streams';

/**
 * A hyparquet-writer `Writer` that hands its bytes to a Node `Writable` after every row group
 * (hyparquet-writer calls `flush()` then) and waits for `drain` when the stream asks it to.
 * Memory stays at one encoded row group, whatever the file's size.
 */
export class StreamParquetWriter extends ByteWriter {
  readonly #sink: Writable;

  constructor(sink: Writable) {
    super(64 * 1024);
    this.#sink = sink;
  }

  /** Sends the bytes buffered so far to the sink; resolves once it accepts more. */
  flush(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    // Copy: the ArrayBuffer is reused for the next row group.
    const chunk = Buffer.from(this.buffer.slice(0, this.index));
    this.index = 0;
    return writeWithBackpressure(this.#sink, chunk);
  }

  override finish(): Promise<void> {
    return this.flush();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error('StreamParquetWriter streams its bytes to the sink: read them there.');
  }

  override getBytes(): Uint8Array<ArrayBuffer> {
    throw new Error('StreamParquetWriter streams its bytes to the sink: read them there.');
  }
}

/**
 * The bytes of a valid Parquet file with `schema` and no rows.
 *
 * hyparquet-writer 0.17 encodes the empty `row_groups` list of such a file without the Thrift
 * element type STRUCT, which arrow-rs (and so pyarrow, DuckDB, Athena's
 * readers...) refuse: "Expected list element type of Struct but got Byte". This writes the file
 * and corrects that one byte. The fixed sequence is `num_rows = 0` (field 3, i64, value 0) then
 * the list header of field 4 (`0x19`) with size 0 and a wrong element type (`0x00`); it becomes STRUCT (`0x0c`).
 */
export function emptyParquet(schema: SchemaElement[], createdBy: string): Uint8Array {
  const writer = new ByteWriter();
  void new ParquetWriter({ writer, schema, createdBy }).finish();
  const bytes = writer.getBytes().slice();
  const metadataLength = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
  const start = bytes.length - 8 - metadataLength;
  for (let i = start; i < bytes.length - 11; i++) {
    if (
      bytes[i] === 0x16 &&
      bytes[i + 1] === 0x00 &&
      bytes[i + 2] === 0x19 &&
      bytes[i + 3] < 0x10
    ) {
      bytes[i + 3] = 0x0c;
      return bytes;
    }
  }
  // hyparquet-writer changed how it writes empty files: the caller's test with an independent reader says whether the new bytes are fine.
  return bytes;
}
