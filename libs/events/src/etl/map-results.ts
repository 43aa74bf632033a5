import * as z from 'zod';

// What a Distributed Map with a ResultWriter leaves on S3 and in the state output, in AWS's
// documented layout: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html

/**
 * Output of a Distributed Map state that has a `ResultWriter`: the Map Run and the key of the
 * `manifest.json` Step Functions wrote (`<Prefix>/<map run id>/manifest.json`).
 */
export const MapResultsSchema = z.object({
  MapRunArn: z.string().min(1),
  ResultWriterDetails: z.object({
    Bucket: z.string().min(3).max(63),
    Key: z.string().min(1),
  }),
});
/** Where a Distributed Map wrote its results. */
export type MapResults = z.infer<typeof MapResultsSchema>;

const ResultFileSchema = z.object({ Key: z.string().min(1), Size: z.number().int().nonnegative() });

/** `manifest.json` of a Map Run: the result files by status of their child executions. */
export const ResultWriterManifestSchema = z.object({
  DestinationBucket: z.string().min(3).max(63),
  MapRunArn: z.string().min(1),
  ResultFiles: z.object({
    FAILED: z.array(ResultFileSchema).default([]),
    PENDING: z.array(ResultFileSchema).default([]),
    SUCCEEDED: z.array(ResultFileSchema).default([]),
  }),
});
/** `manifest.json` of a Map Run. */
export type ResultWriterManifest = z.infer<typeof ResultWriterManifestSchema>;

/**
 * One child execution in a `SUCCEEDED_<n>.json` / `FAILED_<n>.json` result file (a JSON array
 * of these). `Input` and `Output` are JSON **strings**, as Step Functions writes them; fields
 * Slipway does not read are kept as they are.
 */
export const ChildExecutionResultSchema = z.looseObject({
  ExecutionArn: z.string().min(1),
  Name: z.string().optional(),
  Status: z.enum(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE', 'RUNNING']),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});
/** One child execution of a Map Run. */
export type ChildExecutionResult = z.infer<typeof ChildExecutionResultSchema>;
