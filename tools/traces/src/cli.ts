/**
 * `npm run traces`: the service map (SVG, PNG, Mermaid) of the segments the sandbox captured,
 * or of a real account with `--from-aws`, and the waterfall of one trace with `--trace`.
 *
 * The flag syntax is the delivery CLIs' (`--flag value` or `--flag=value`, exit 2 with the usage
 * on bad arguments), kept as a small parser here: tools/delivery exports no alias to import it by.
 */
import { relative } from 'node:path';
import { TracesError, UsageError } from './errors';
import { DEFAULT_AWS_OUT, DEFAULT_WORK_DIR, writeAwsTraceReport, writeTraceReport } from './report';

/** Where the command writes: stdout and stderr by default, buffers in tests. */
export interface CliIo {
  write: (text: string) => void;
  error: (text: string) => void;
}

export const USAGE = `usage: npm run traces -- [--work-dir <dir>] [--out <dir>] [--trace <id>]
       npm run traces -- --from-aws --start <ISO time> --end <ISO time> [--region <region>] [--group <name>] [--out <dir>] [--trace <id>]

Writes service-map.svg, service-map.png and service-map.md (a Mermaid block), and with --trace
waterfall-<trace id>.txt and .svg, then prints their paths.

  --work-dir <dir>  the sandbox's work dir holding traces/segments.jsonl (default ${DEFAULT_WORK_DIR})
  --out <dir>       where to write (default <work dir>/traces; with --from-aws ${DEFAULT_AWS_OUT})
  --trace <id>      a trace id, Step Functions execution ARN, Lambda request id or correlation id
  --from-aws        read X-Ray instead (GetServiceGraph, GetTraceSummaries, BatchGetTraces)
  --start, --end    the window to read, ISO 8601 (e.g. 2026-12-03T06:00:00Z); --from-aws only
  --region          the X-Ray region (default: AWS_REGION); --from-aws only
  --group           an X-Ray group name to narrow the map and traces to; --from-aws only`;

const VALUES = ['work-dir', 'out', 'trace', 'start', 'end', 'region', 'group'] as const;
type Value = (typeof VALUES)[number];

/** The command line, read. */
export type TracesArgs =
  | { mode: 'local'; workDir?: string; out?: string; trace?: string }
  | {
      mode: 'aws';
      start: Date;
      end: Date;
      region?: string;
      group?: string;
      out?: string;
      trace?: string;
    };

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function isoTime(flag: string, value: string): Date {
  const time = new Date(value);
  if (!ISO.test(value) || Number.isNaN(time.getTime()))
    throw new UsageError(
      `--${flag} ${JSON.stringify(value)} is not an ISO 8601 time (e.g. 2026-12-03T06:00:00Z)`,
    );
  return time;
}

/**
 * Reads the command line.
 * @returns `'help'` for `--help`/`-h`.
 * @throws UsageError naming the bad argument and what to pass instead.
 */
export function parseArgs(argv: readonly string[]): TracesArgs | 'help' {
  const values: Partial<Record<Value, string>> = {};
  let fromAws = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--from-aws') {
      fromAws = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1] as Value | undefined;
    if (!flag || !VALUES.includes(flag))
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const inline = match?.[2];
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`--${flag} needs a value`);
    values[flag] = value;
  }
  const opt = (flag: Value) => (values[flag] === undefined ? {} : { [camel(flag)]: values[flag] });
  if (!fromAws) {
    const awsOnly = (['start', 'end', 'region', 'group'] as const).find(
      (f) => values[f] !== undefined,
    );
    if (awsOnly)
      throw new UsageError(
        `--${awsOnly} reads X-Ray and needs --from-aws; without it the map is drawn from the captured segments`,
      );
    return { mode: 'local', ...opt('work-dir'), ...opt('out'), ...opt('trace') };
  }
  if (values['work-dir'] !== undefined)
    throw new UsageError(
      '--work-dir names captured segments, --from-aws reads X-Ray instead: pass one of them',
    );
  if (values.start === undefined || values.end === undefined)
    throw new UsageError(
      '--from-aws needs --start and --end (ISO 8601, e.g. 2026-12-03T06:00:00Z)',
    );
  const start = isoTime('start', values.start);
  const end = isoTime('end', values.end);
  if (start.getTime() >= end.getTime())
    throw new UsageError(`--start ${values.start} must be before --end ${values.end}`);
  return {
    mode: 'aws',
    start,
    end,
    ...opt('region'),
    ...opt('group'),
    ...opt('out'),
    ...opt('trace'),
  };
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
};

/**
 * Runs `npm run traces` with `argv`: exit 0 after printing the written paths (or the usage for
 * `--help`), 2 with the usage on bad arguments, 1 with one line on a {@link TracesError}.
 */
export async function runTracesCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: TracesArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(`traces: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    io.write(`${USAGE}\n`);
    return 0;
  }
  try {
    let result;
    if (args.mode === 'aws') {
      const { mode: _mode, ...options } = args;
      result = await writeAwsTraceReport(options);
    } else {
      const { mode: _mode, ...options } = args;
      result = await writeTraceReport(options);
    }
    for (const warning of result.warnings) io.error(`traces: ${warning}\n`);
    io.write(result.files.map((f) => `${shown(f)}\n`).join(''));
    return 0;
  } catch (error) {
    if (!(error instanceof TracesError)) throw error;
    io.error(`traces: ${error.message}\n`);
    return 1;
  }
}

if (require.main === module)
  runTracesCli(process.argv.slice(2), {
    write: (text) => process.stdout.write(text),
    error: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `traces: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
