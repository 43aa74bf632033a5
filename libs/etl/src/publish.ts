import { createHash } from 'node:crypto';
import {
  CuratedManifestSchema,
  PartitionDateSchema,
  type CuratedManifest,
  type PublishOutput,
  type PublishedFile,
} from '@slipway/events';
import type { CuratedTable } from './aggregate';
import { EtlInputError } from './errors';
import { curatedKey, manifestKey } from './keys';

/** One object Publish writes. */
export interface PublishPut {
  key: string;
  body: Uint8Array;
  contentType: string;
  /** Lowercase hex SHA-256 of `body`. */
  sha256: string;
}

/** What to write for one day, in order: every table file, then the manifest (last). */
export interface PublishPlan {
  /** Write these in this order; the manifest is the last entry. */
  puts: PublishPut[];
  manifest: CuratedManifest;
  /** The `Publish` state's output once every put succeeded. */
  output: PublishOutput;
}

/**
 * Plans the publication of one day's curated tables: `curated/<table>/dt=YYYY-MM-DD/part-00000.parquet`
 * per table and `curated/_manifest/dt=YYYY-MM-DD/_manifest.json` listing each file's row count,
 * size and SHA-256. The manifest goes last so that a reader who finds it finds complete files.
 *
 * Everything is deterministic: no timestamps or run ids in the files or the manifest, tables in
 * name order, so a rerun over the same input produces byte-identical objects and the same
 * manifest hash (the run id lives in the `EtlCompleted` event instead).
 *
 * @example
 * const plan = publishPlan('2026-03-01', (await aggregateDay(staging)).tables);
 * for (const put of plan.puts) await putObject(bucket, put.key, put.body, put.contentType);
 */
export function publishPlan(date: string, tables: CuratedTable[]): PublishPlan {
  if (!PartitionDateSchema.safeParse(date).success) {
    throw new EtlInputError(`date must be a calendar day as YYYY-MM-DD, got "${date}".`);
  }
  const names = tables.map((t) => t.table);
  if (new Set(names).size !== names.length) {
    throw new EtlInputError(`Each table may be published once per day; got ${names.join(', ')}.`);
  }
  const sorted = [...tables].sort((a, b) => (a.table < b.table ? -1 : 1));
  const puts: PublishPut[] = sorted.map((t) => ({
    key: curatedKey(t.table, date),
    body: t.bytes,
    contentType: 'application/vnd.apache.parquet',
    sha256: sha256(t.bytes),
  }));
  const files: PublishedFile[] = sorted.map((t, i) => ({
    table: t.table,
    key: puts[i].key,
    rows: t.rows,
    bytes: t.bytes.byteLength,
    sha256: puts[i].sha256,
  }));
  const manifest = CuratedManifestSchema.parse({
    manifestVersion: 1,
    date,
    format: 'parquet',
    files,
  });
  const body = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const manifestPut: PublishPut = {
    key: manifestKey(date),
    body,
    contentType: 'application/json',
    sha256: sha256(body),
  };
  return {
    puts: [...puts, manifestPut],
    manifest,
    output: { date, files, manifest: { key: manifestPut.key, sha256: manifestPut.sha256 } },
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
