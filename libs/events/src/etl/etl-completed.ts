import * as z from 'zod';
import { EtlCountsSchema, HexSha256Schema, PartitionDateSchema } from './common';

/** `detail` of the `EtlCompleted` event. */
export const EtlCompletedDetailSchema = z.object({
  date: PartitionDateSchema,
  runId: z.string().min(1).optional(),
  counts: EtlCountsSchema,
  manifest: z.object({
    bucket: z.string().min(3).max(63),
    key: z.string().min(1),
    sha256: HexSha256Schema,
  }),
});
/** `detail` of `EtlCompleted`. */
export type EtlCompletedDetail = z.infer<typeof EtlCompletedDetailSchema>;
