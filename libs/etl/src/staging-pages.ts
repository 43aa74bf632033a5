import type { ColumnChunk, Encoding, ParquetType, SchemaElement } from 'hyparquet';
import type { ParquetWriter } from 'hyparquet-writer';
import { writeDataPageV2, writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { useDictionary, writeDictionaryPage } from 'hyparquet-writer/src/dictionary.js';
import type { ColumnEncoder } from 'hyparquet-writer/src/types.js';
import { snappyCompress } from './snappy';

/**
 * The values of one staging row group, column by column, as `StagingWriter` decodes them from
 * its spill-encoded rows. `event_id` stays where the rows are: the id of row `r` is
 * `idBuffer[idStarts[r] + 1, idStarts[r] + 1 + idBuffer[idStarts[r]])`, ASCII bytes only.
 */
export interface GroupColumns {
  rows: number;
  idBuffer: Buffer;
  idStarts: Int32Array;
  event_type: string[];
  user_id: string[];
  course_id: string[];
  occurred_at: number[];
  score: (number | null)[];
  max_score: (number | null)[];
  seconds_watched: (number | null)[];
  source_key: string[];
  source_line: number[];
}

/** hyparquet-writer's default page size (`ParquetWriter.write`'s `pageSize`): a column chunk at or above it is split into pages. */
const PAGE_SIZE = 1_048_576;

type ValueColumn = Exclude<keyof GroupColumns, 'rows' | 'idBuffer' | 'idStarts'>;

/** How one column of a group is written, decided before any byte is. */
interface Plan {
  name: string;
  encoder: ColumnEncoder;
  dictionary?: unknown[];
  indexes?: number[];
}

/**
 * Writes one row group of the staging schema with the same bytes as
 * `ParquetWriter.write({ columnData, rowGroupSize: rows })` (PLAIN for `event_id` and
 * `source_line`, hyparquet-writer's own dictionary decision for the others, SNAPPY, no
 * statistics), faster: the `event_id` page is assembled straight from the spill's bytes (no
 * value per row), `occurred_at` is written from numbers (no `BigInt` per row), and the
 * general-purpose steps that do not apply to a flat schema (slices, Dremel levels, per-value
 * page-size estimates) are skipped. The dictionary decisions, dictionary pages, level encoding,
 * page headers and compression are hyparquet-writer's own functions, so the two cannot drift
 * apart on what they share; `staging-pages.spec.ts` compares the bytes of both on generated and
 * edge-case groups.
 *
 * Returns `false`, having written nothing, for a group it does not cover (a column that would
 * span more than one page): the caller then writes it with `ParquetWriter.write`.
 */
export function writeStagingGroup(
  parquet: ParquetWriter,
  schema: SchemaElement[],
  group: GroupColumns,
): boolean {
  const { rows } = group;
  let idBytes = 0;
  for (let r = 0; r < rows; r++) idBytes += group.idBuffer[group.idStarts[r]];
  if (idBytes >= PAGE_SIZE || rows * 8 >= PAGE_SIZE) return false;

  const plans: Plan[] = [];
  for (const element of schema.slice(1)) {
    const name = element.name;
    const encoder = columnEncoder(parquet, schema[0], element);
    if (name === 'event_id' || name === 'source_line') {
      plans.push({ name, encoder });
      continue;
    }
    const values = group[name as ValueColumn] as unknown[];
    // Numbers stand for the BigInts hyparquet-writer would decide on for `occurred_at`: the
    // same sizes (8 bytes) and, for integers, the same equality, so the same decision.
    const { dictionary, indexes } = useDictionary(
      values as never,
      element.type as ParquetType,
      undefined,
      undefined,
      undefined,
      element.repetition_type === 'REQUIRED',
    );
    if (!dictionary && element.type === 'BYTE_ARRAY') {
      let size = 0;
      for (const value of values as string[]) size += value.length;
      if (size >= PAGE_SIZE) return false;
    }
    plans.push({ name, encoder, dictionary, indexes });
  }

  const writer = parquet.writer;
  const groupStart = writer.offset;
  const columns: ColumnChunk[] = [];
  let totalByteSize = 0n;
  for (const plan of plans) {
    const chunk = writeColumnChunk(writer, plan, group);
    totalByteSize += chunk.meta_data?.total_uncompressed_size ?? 0n;
    columns.push(chunk);
    parquet.pendingIndexes.push({ chunk });
  }
  parquet.num_rows += BigInt(rows);
  parquet.row_groups.push({
    columns,
    total_byte_size: totalByteSize,
    num_rows: BigInt(rows),
    total_compressed_size: BigInt(writer.offset - groupStart),
  });
  return true;
}

function columnEncoder(
  parquet: ParquetWriter,
  root: SchemaElement,
  element: SchemaElement,
): ColumnEncoder {
  return {
    columnName: element.name,
    element,
    schemaPath: [root, element],
    codec: 'SNAPPY',
    compressors: parquet.compressors,
    stats: false,
    pageSize: PAGE_SIZE,
    columnIndex: false,
    offsetIndex: true,
  };
}

function writeColumnChunk(
  writer: ParquetWriter['writer'],
  plan: Plan,
  group: GroupColumns,
): ColumnChunk {
  const { encoder, dictionary, indexes } = plan;
  const element = encoder.element;
  const optional = element.repetition_type === 'OPTIONAL';
  const start = writer.offset;
  let uncompressed = 0;
  let dictionaryPageOffset: bigint | undefined;
  const encodings: Encoding[] = [];
  let values: unknown[] | undefined;
  if (plan.name !== 'event_id' && plan.name !== 'source_line') {
    values = group[plan.name as ValueColumn] as unknown[];
  }
  if (dictionary && indexes) {
    dictionaryPageOffset = BigInt(writer.offset);
    const physical =
      element.type === 'INT64' ? (dictionary as number[]).map((v) => BigInt(v)) : dictionary;
    uncompressed += writeDictionaryPage(writer, encoder, physical as never);
    encodings.push('PLAIN', 'RLE_DICTIONARY');
  } else {
    encodings.push('PLAIN');
  }
  const dataPageOffset = BigInt(writer.offset);
  if (indexes) {
    uncompressed += writeDataPageV2({
      writer,
      column: encoder,
      encoding: 'RLE_DICTIONARY',
      pageData: {
        values: indexes,
        definitionLevels: optional ? definitionLevels(values as unknown[]) : [],
        repetitionLevels: [],
        maxDefinitionLevel: optional ? 1 : 0,
      },
    });
  } else if (plan.name === 'event_id') {
    uncompressed += writeRequiredPlainPage(writer, plainIds(group), group.rows);
  } else if (plan.name === 'source_line') {
    uncompressed += writeRequiredPlainPage(writer, plainInt32(group.source_line), group.rows);
  } else if (plan.name === 'occurred_at') {
    uncompressed += writeRequiredPlainPage(writer, plainInt64(group.occurred_at), group.rows);
  } else {
    uncompressed += writeDataPageV2({
      writer,
      column: encoder,
      encoding: 'PLAIN',
      pageData: {
        values: element.type === 'BYTE_ARRAY' ? utf8(values as string[]) : (values as never),
        definitionLevels: optional ? definitionLevels(values as unknown[]) : [],
        repetitionLevels: [],
        maxDefinitionLevel: optional ? 1 : 0,
      },
    });
  }
  return {
    meta_data: {
      type: element.type as ParquetType,
      encodings,
      path_in_schema: [element.name],
      codec: 'SNAPPY',
      num_values: BigInt(group.rows),
      total_compressed_size: BigInt(writer.offset - start),
      total_uncompressed_size: BigInt(uncompressed),
      data_page_offset: dataPageOffset,
      dictionary_page_offset: dictionaryPageOffset,
    },
    file_offset: BigInt(start),
  };
}

/** One DATA_PAGE_V2 of a REQUIRED column holding `page`'s PLAIN bytes, as `writeDataPageV2` writes it. */
function writeRequiredPlainPage(
  writer: ParquetWriter['writer'],
  page: Uint8Array,
  rows: number,
): number {
  const compressed = snappyCompress(page);
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: page.length,
    compressed_page_size: compressed.length,
    data_page_header_v2: {
      num_values: rows,
      num_nulls: 0,
      num_rows: rows,
      encoding: 'PLAIN',
      definition_levels_byte_length: 0,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    },
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(compressed);
  return headerSize + page.length;
}

/** PLAIN BYTE_ARRAY of the group's ids: a 4-byte length, then the bytes, copied from the spill's rows. */
function plainIds(group: GroupColumns): Uint8Array {
  const { idBuffer, idStarts, rows } = group;
  let size = 4 * rows;
  for (let r = 0; r < rows; r++) size += idBuffer[idStarts[r]];
  const page = Buffer.allocUnsafe(size);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const from = idStarts[r];
    const length = idBuffer[from];
    page[at] = length;
    page[at + 1] = 0;
    page[at + 2] = 0;
    page[at + 3] = 0;
    at += 4;
    const end = from + 1 + length;
    for (let k = from + 1; k < end; k++) page[at++] = idBuffer[k];
  }
  return page;
}

function plainInt32(values: number[]): Uint8Array {
  const page = Buffer.allocUnsafe(4 * values.length);
  for (let i = 0; i < values.length; i++) page.writeInt32LE(values[i], 4 * i);
  return page;
}

/** PLAIN INT64 of epoch milliseconds (safe integers), without a `BigInt` per value. */
function plainInt64(values: number[]): Uint8Array {
  const page = Buffer.allocUnsafe(8 * values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const high = Math.floor(value / 4294967296);
    page.writeUInt32LE(value - high * 4294967296, 8 * i);
    page.writeInt32LE(high, 8 * i + 4);
  }
  return page;
}

function definitionLevels(values: unknown[]): number[] {
  const levels = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) levels[i] = values[i] === null ? 0 : 1;
  return levels;
}

const encoder = new TextEncoder();
function utf8(values: string[]): Uint8Array[] {
  return values.map((value) => encoder.encode(value));
}
