// Reads a Parquet file with parquet-wasm (arrow-rs compiled to WebAssembly), an implementation
// independent of the hyparquet-writer that wrote it. parquet-wasm hands back Arrow data through
// the Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html); this
// decodes the few Arrow types the ETL writes straight from WebAssembly memory (wasm32 layout),
// so the tests need no apache-arrow dependency.
import { readParquet, wasmMemory } from 'parquet-wasm/node';

/** One column as arrow-rs read it: its Arrow format string (`u` utf8, `i` int32, `l` int64, `g` float64, `tsm:UTC` timestamp ms UTC) and values. */
export interface ArrowColumn {
  format: string;
  nullable: boolean;
  values: (string | number | null)[];
}

/** Every column of the file, by name, plus the row count. */
export interface ParquetContents {
  rows: number;
  columns: Record<string, ArrowColumn>;
}

const ARROW_FLAG_NULLABLE = 2n;

export function readParquetWithWasm(bytes: Uint8Array): ParquetContents {
  const stream = readParquet(bytes).intoFFI();
  try {
    const view = () => new DataView(wasmMemory().buffer);
    const cString = (ptr: number) => {
      const memory = new Uint8Array(wasmMemory().buffer);
      let end = ptr;
      while (memory[end] !== 0) end++;
      return new TextDecoder().decode(memory.subarray(ptr, end));
    };
    const schema = stream.schemaAddr();
    const childSchemas = children(view(), schema, 24, 32);
    const columns: Record<string, ArrowColumn> = {};
    for (const child of childSchemas) {
      columns[cString(view().getUint32(child + 4, true))] = {
        format: cString(view().getUint32(child, true)),
        nullable: (view().getBigInt64(child + 16, true) & ARROW_FLAG_NULLABLE) !== 0n,
        values: [],
      };
    }
    const names = Object.keys(columns);
    let rows = 0;
    for (let batch = 0; batch < stream.numArrays(); batch++) {
      const array = stream.arrayAddr(batch);
      rows += Number(view().getBigInt64(array, true));
      children(view(), array, 32, 44).forEach((child, i) => {
        const column = columns[names[i]];
        column.values.push(...decode(view(), child, column.format));
      });
    }
    return { rows, columns };
  } finally {
    stream.free();
  }
}

function children(view: DataView, struct: number, countAt: number, pointerAt: number): number[] {
  const count = Number(view.getBigInt64(struct + countAt, true));
  const list = view.getUint32(struct + pointerAt, true);
  return Array.from({ length: count }, (_, i) => view.getUint32(list + 4 * i, true));
}

function decode(view: DataView, array: number, format: string): (string | number | null)[] {
  const length = Number(view.getBigInt64(array, true));
  const nullCount = Number(view.getBigInt64(array + 8, true));
  const offset = Number(view.getBigInt64(array + 16, true));
  const buffers = view.getUint32(array + 40, true);
  const buffer = (i: number) => view.getUint32(buffers + 4 * i, true);
  const validity = buffer(0);
  const isNull = (i: number) =>
    nullCount > 0 &&
    validity !== 0 &&
    ((view.getUint8(validity + ((offset + i) >> 3)) >> ((offset + i) & 7)) & 1) === 0;
  const out: (string | number | null)[] = [];
  for (let i = 0; i < length; i++) {
    if (isNull(i)) {
      out.push(null);
      continue;
    }
    const at = offset + i;
    if (format === 'u') {
      const offsets = buffer(1);
      const start = view.getInt32(offsets + 4 * at, true);
      const end = view.getInt32(offsets + 4 * (at + 1), true);
      out.push(
        new TextDecoder().decode(new Uint8Array(view.buffer, buffer(2) + start, end - start)),
      );
    } else if (format === 'i') {
      out.push(view.getInt32(buffer(1) + 4 * at, true));
    } else if (format === 'l' || format.startsWith('tsm:')) {
      out.push(Number(view.getBigInt64(buffer(1) + 8 * at, true)));
    } else if (format === 'g') {
      out.push(view.getFloat64(buffer(1) + 8 * at, true));
    } else {
      throw new Error(`This test reader does not decode Arrow format "${format}".`);
    }
  }
  return out;
}
