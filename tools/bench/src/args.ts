import { parseArgs } from 'node:util';

/** Options of `npm run bench`. */
export interface BenchOptions {
  /** Fresh `node` processes per bundle and mode for module-init time. */
  runs: number;
  /** Timed runs of the cached `nx run-many -t package` and of its `nx --version` baseline. */
  nxRuns: number;
  /** Paired runs of the thumbnail step and its raw sharp baseline. */
  mediaRuns: number;
  /** Images sent through the sandbox flow (after one warm-up). */
  sandboxRuns: number;
  /** Rounds of the governance scans and their parse-only baselines. */
  governanceRuns: number;
  /** Largest ETL object measured (rows): the sizes of `ETL_SIZES` up to it. */
  etlMaxRows: number;
  /** Paired rounds (Transform and bare pipeline, fresh processes) per ETL size. */
  etlRuns: number;
  /** Small objects in the day sent through the sandbox's ETL flow (`ETL_DAY_OBJECTS` by default). */
  etlDayObjects: number;
}

/** Below these counts a median is too easily moved by one noisy sample to be worth a ratio. */
export const MIN_RUNS = 15;
export const MIN_NX_RUNS = 3;
export const MIN_MEDIA_RUNS = 3;
/** The smallest ETL size: the RSS growth ratios are taken against it. */
export const MIN_ETL_ROWS = 100_000;
/** The largest size, measured unless `--etl-max-rows` says otherwise. */
export const DEFAULT_ETL_MAX_ROWS = 5_000_000;
/** Issue 17's day: 10,000 small objects through the sandbox (`ETL_DAY_OBJECTS` in etl-day.ts). */
export const DEFAULT_ETL_DAY_OBJECTS = 10_000;
/** Below one full batch of the Distributed Map (100 objects) the day measures no batching. */
export const MIN_ETL_DAY_OBJECTS = 100;

/** Usage text printed by `npm run bench -- --help` and with every argument error. */
export const USAGE = `Usage: npm run bench -- [--runs N] [--nx-runs N]
  --runs N     fresh node processes per bundle and mode for module-init time (default 21, min ${MIN_RUNS})
  --nx-runs N  timed cached 'nx run-many -t package' runs (default 5, min ${MIN_NX_RUNS})
  --media-runs N    paired thumbnail-step / raw-sharp runs on the 12 MP JPEG (default 9, min ${MIN_MEDIA_RUNS})
  --sandbox-runs N  images through the local cloud's media flow (default 5, min ${MIN_MEDIA_RUNS})
  --governance-runs N  rounds of the governance scans and their baselines (default 5, min ${MIN_MEDIA_RUNS})
  --etl-max-rows N     largest ETL object measured, of 100000, 1000000 and 5000000 rows (default ${DEFAULT_ETL_MAX_ROWS}, min ${MIN_ETL_ROWS});
                       1000000 skips the 5 M-row size (≈ 2 min of the bench)
  --etl-runs N         paired Transform / bare-pipeline rounds per ETL size, fresh processes (default 5, min ${MIN_MEDIA_RUNS})
  --etl-day-objects N  small objects in the day run through the sandbox's ETL flow (default ${DEFAULT_ETL_DAY_OBJECTS}, min ${MIN_ETL_DAY_OBJECTS};
                       the 10,000-object day takes ≈ 4 min on 2 cores)`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} ${raw} is not valid: give a whole number >= ${min}.\n${USAGE}`);
  }
  return value;
}

/**
 * Parses the bench's command line (`process.argv.slice(2)`); returns `'help'` for `--help`.
 *
 * @example
 * parseBenchArgs(['--runs', '31']); // { runs: 31, nxRuns: 5, mediaRuns: 9, sandboxRuns: 5, governanceRuns: 5, etlMaxRows: 5000000, etlRuns: 5, etlDayObjects: 10000 }
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        runs: { type: 'string' },
        'nx-runs': { type: 'string' },
        'media-runs': { type: 'string' },
        'sandbox-runs': { type: 'string' },
        'governance-runs': { type: 'string' },
        'etl-max-rows': { type: 'string' },
        'etl-runs': { type: 'string' },
        'etl-day-objects': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  if (values.help) return 'help';
  return {
    runs: count('runs', values.runs, 21, MIN_RUNS),
    nxRuns: count('nx-runs', values['nx-runs'], 5, MIN_NX_RUNS),
    mediaRuns: count('media-runs', values['media-runs'], 9, MIN_MEDIA_RUNS),
    sandboxRuns: count('sandbox-runs', values['sandbox-runs'], 5, MIN_MEDIA_RUNS),
    governanceRuns: count('governance-runs', values['governance-runs'], 5, MIN_MEDIA_RUNS),
    etlMaxRows: count('etl-max-rows', values['etl-max-rows'], DEFAULT_ETL_MAX_ROWS, MIN_ETL_ROWS),
    etlRuns: count('etl-runs', values['etl-runs'], 5, MIN_MEDIA_RUNS),
    etlDayObjects: count(
      'etl-day-objects',
      values['etl-day-objects'],
      DEFAULT_ETL_DAY_OBJECTS,
      MIN_ETL_DAY_OBJECTS,
    ),
  };
}
