import * as z from 'zod';
import { CuratedTableNameSchema, HexSha256Schema, PartitionDateSchema } from './common';
import { AggregateOutputSchema } from './aggregate';

/** Input of `Publish`: Aggregate's output. */
export const PublishInputSchema = z.object({ aggregate: AggregateOutputSchema });
/** Input of `Publish`. */
export type PublishInput = z.infer<typeof PublishInputSchema>;

/** One published curated file, as listed in `_manifest.json`. */
export const PublishedFileSchema = z.object({
  table: CuratedTableNameSchema,
  key: z.string().regex(/^curated\/[a-z_]+\/dt=\d{4}-\d{2}-\d{2}\/part-\d{5}\.parquet$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: HexSha256Schema,
});
/** One published curated file. */
export type PublishedFile = z.infer<typeof PublishedFileSchema>;

/**
 * `curated/_manifest/dt=YYYY-MM-DD/_manifest.json`: the manifest of one day. No timestamps or run
 * ids: a rerun over the same input writes the same bytes.
 */
export const CuratedManifestSchema = z.object({
  manifestVersion: z.literal(1),
  date: PartitionDateSchema,
  format: z.literal('parquet'),
  files: z.array(PublishedFileSchema),
});
/** The curated manifest of one day. */
export type CuratedManifest = z.infer<typeof CuratedManifestSchema>;

/** What `runPublish` returns: the files and the manifest it wrote. */
export const PublishOutputSchema = z.object({
  date: PartitionDateSchema,
  files: z.array(PublishedFileSchema),
  manifest: z.object({ key: z.string().min(1), sha256: HexSha256Schema }),
});
/** What `runPublish` returns. */
export type PublishOutput = z.infer<typeof PublishOutputSchema>;

/** Output of the `Publish` state: {@link PublishOutputSchema} and the bucket, which Reconcile names in `EtlCompleted`. */
export const PublishStateOutputSchema = PublishOutputSchema.extend({
  bucket: z.string().min(3).max(63),
});
/** Output of the `Publish` state. */
export type PublishStateOutput = z.infer<typeof PublishStateOutputSchema>;
