import type { FlowName } from '@slipway/flows';

/** A bucket a domain owns. Manifests address it by `name` (e.g. `read media:uploads/*`). */
export interface BucketSpec {
  /** Logical name, used in permission intents and in the real name `<prefix>-<env>-<name>-<account>`. */
  name: string;
  /** Send S3 events to EventBridge (flows are started by rules on them). */
  eventBridge?: boolean;
  /** Lifecycle rules, in the `bucket` module's `lifecycle_rules` shape. */
  lifecycleRules?: {
    id: string;
    prefix?: string;
    expiration_days?: number;
    noncurrent_version_expiration_days?: number;
    abort_incomplete_multipart_upload_days?: number;
  }[];
}

/** What a domain owns besides its Lambdas (which come from the manifests). */
export interface DomainSpec {
  description: string;
  buckets: BucketSpec[];
  /** EventBridge buses (logical names; manifests publish with `publish bus:<name>`, flows with `slipway:bus:<name>`). */
  buses?: string[];
  /**
   * Step Functions flows from libs/flows, each started by its EventBridge Scheduler schedule
   * (`<flow>.schedule.json`) or else by its trigger on the domain's first bucket.
   */
  flows?: FlowName[];
  /**
   * Per flow with a Distributed Map: the key prefix of the domain's first bucket (ending in `/`)
   * where its ItemReader reads the item list and its ResultWriter writes the results. The state
   * machine's role may read and write exactly `<prefix>*` there.
   */
  flowRunAreas?: Partial<Record<FlowName, string>>;
  /**
   * The environment's alarm topic lives in this domain's stack (exactly one domain has it): the
   * stack of what every domain shares, applied first, whose state no domain's change touches.
   */
  alarmTopic?: boolean;
  /**
   * Custom Powertools metrics of the domain's functions charted split by one dimension on its
   * dashboard (namespace `Slipway/<domain>`, dimension `service` = the function's manifest name,
   * plus `splitBy`): they must be what the handler emits, name and dimensions exactly.
   */
  metricBreakdowns?: {
    title: string;
    /** Manifest name of the function that emits the metric. */
    lambda: string;
    metric: string;
    /** The dimension the handler adds (`addDimension`) and every value it can take. */
    splitBy: { name: string; values: readonly string[] };
  }[];
}

/**
 * Every domain the stacks know. A Lambda's manifest names its domain; its stack is
 * `<domain>-<env>`. A domain with no entry here still gets a stack, owning only its Lambdas
 * (and its tables: those of `TABLES` in libs/manifest, which the sandbox also builds).
 */
export const DOMAINS: Readonly<Record<string, DomainSpec>> = {
  platform: {
    description: 'What every domain shares: the platform event bus and the alarm topic.',
    buckets: [],
    buses: ['platform'],
    alarmTopic: true,
  },
  media: {
    description: 'Uploads, derived renditions and quarantine of user media.',
    flows: ['media'],
    // apps/media-quarantine/src/handler.ts: addDimension('outcome', result.outcome) and
    // addMetric('MediaQuarantined'); outcome is QuarantineResult['outcome'] of libs/media
    // (src/pipeline/quarantine.ts). The reason code is logged, not a dimension.
    metricBreakdowns: [
      {
        title: 'Quarantines by outcome (MediaQuarantined)',
        lambda: 'media-quarantine',
        metric: 'MediaQuarantined',
        splitBy: { name: 'outcome', values: ['rejected', 'failed'] },
      },
    ],
    buckets: [
      {
        name: 'media',
        eventBridge: true,
        lifecycleRules: [
          { id: 'abort-multipart', abort_incomplete_multipart_upload_days: 2 },
          {
            id: 'expire-quarantine',
            prefix: 'quarantine/',
            expiration_days: 30,
            noncurrent_version_expiration_days: 7,
          },
          { id: 'expire-noncurrent', noncurrent_version_expiration_days: 30 },
        ],
      },
    ],
  },
  etl: {
    description:
      'Nightly analytics ETL: raw learning events to curated Parquet tables, nothing lost.',
    flows: ['etl'],
    // libs/etl RUNS_PREFIX: each run's object list and the Transform Map's results (expired with
    // staging/ by the lifecycle below).
    flowRunAreas: { etl: 'staging/_runs/' },
    buckets: [
      {
        name: 'data',
        lifecycleRules: [
          { id: 'abort-multipart', abort_incomplete_multipart_upload_days: 2 },
          // Raw exports are kept long enough to rerun any day of the last quarter.
          {
            id: 'expire-raw',
            prefix: 'raw/',
            expiration_days: 90,
            noncurrent_version_expiration_days: 7,
          },
          // Staging is rebuilt by any rerun; a week covers investigating a failed night.
          {
            id: 'expire-staging',
            prefix: 'staging/',
            expiration_days: 14,
            noncurrent_version_expiration_days: 1,
          },
          {
            id: 'expire-quarantine',
            prefix: 'quarantine/',
            expiration_days: 30,
            noncurrent_version_expiration_days: 7,
          },
          // Curated tables are the product: only superseded versions expire.
          { id: 'expire-noncurrent', noncurrent_version_expiration_days: 30 },
        ],
      },
    ],
  },
};
