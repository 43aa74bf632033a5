/**
 * Turns the scheduled drift check's results (`terraform plan -detailed-exitcode` per stack and
 * environment) into Markdown for the job summary and the body of the drift issue.
 *
 * Each drift job leaves, per stack, in one folder:
 * - `<stack>.exitcode`: the plan's exit code (0 no changes, 1 error, 2 changes);
 * - `<stack>.json`: `terraform show -json` of the plan, when it ran (exit code 0 or 2);
 * - `<stack>.log` (optional): the plan's output, whose tail is quoted when the plan failed.
 *
 * Exit code 2 has two causes the report tells apart, because the fix differs:
 * - **drift**: the refresh found resources changed outside Terraform (`resource_drift`);
 * - **pending**: nothing drifted, but main holds changes not applied yet (a deploy waiting for
 *   approval, or one that failed).
 *
 * @example npx tsx tools/delivery/src/drift-report.ts drift-results --out drift.md --json drift.json
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanFileError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';
import {
  classifyActions,
  GITHUB_COMMENT_LIMIT,
  readPlanJson,
  summarizeStack,
  type ResourceChange,
  type TerraformPlanJson,
} from './plan-summary';

/** Hidden marker the workflow finds its drift issue by. */
export const DRIFT_REPORT_MARKER = '<!-- slipway:drift-report -->';

/** What the check found for one stack. */
export type DriftStatus = 'clean' | 'drift' | 'pending' | 'failed';

/** The check's result for one stack. */
export interface StackDrift {
  stack: string;
  status: DriftStatus;
  /** Resources the refresh found changed outside Terraform. */
  drifted: ResourceChange[];
  /** What the plan would change to bring the stack back to main. */
  planned: ResourceChange[];
  /** The last lines of the plan's output, when it failed. */
  logTail?: string;
}

/** One stack's raw result, as the drift job leaves it. */
export interface DriftInput {
  stack: string;
  exitCode: number;
  plan?: TerraformPlanJson;
  log?: string;
}

/**
 * Classifies one stack's result.
 *
 * @throws {PlanFileError} for an exit code other than 0, 1 or 2, or a plan missing after 0 or 2.
 */
export function assessStack(input: DriftInput): StackDrift {
  const { stack, exitCode, plan, log } = input;
  if (![0, 1, 2].includes(exitCode))
    throw new PlanFileError(
      `${stack}.exitcode`,
      `holds ${exitCode}; terraform plan -detailed-exitcode only returns 0, 1 or 2.`,
    );
  if (exitCode === 1) {
    return {
      stack,
      status: 'failed',
      drifted: [],
      planned: [],
      ...(log ? { logTail: log.trimEnd().split('\n').slice(-20).join('\n') } : {}),
    };
  }
  if (!plan)
    throw new PlanFileError(
      `${stack}.json`,
      `is missing: the plan exited ${exitCode}, so the drift job must save terraform show -json beside ${stack}.exitcode.`,
    );
  const drifted = (plan.resource_drift ?? [])
    .map((d) => ({ address: d.address, action: classifyActions(d.change.actions) }))
    .filter((d) => d.action !== 'no-op' && d.action !== 'read');
  const summary = summarizeStack({ stack, plan });
  // Outputs count too: a plan that only changes an output still exits 2.
  const planned: ResourceChange[] = [
    ...summary.changes,
    ...summary.outputChanges.map((name) => ({
      address: `output.${name}`,
      action: 'update' as const,
    })),
  ];
  const status: DriftStatus =
    exitCode === 0 && planned.length === 0 ? 'clean' : drifted.length > 0 ? 'drift' : 'pending';
  return { stack, status, drifted, planned };
}

/**
 * Reads every `<stack>.exitcode` (with its `.json` and `.log`) under `dirs`, recursively.
 *
 * @throws {PlanFileError} when a folder does not exist or a file cannot be read.
 */
export function readDriftResults(dirs: readonly string[]): DriftInput[] {
  const inputs: DriftInput[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      if (!name.endsWith('.exitcode')) continue;
      const stack = name.slice(0, -'.exitcode'.length);
      const raw = readFileSync(full, 'utf8').trim();
      if (!/^\d+$/.test(raw))
        throw new PlanFileError(full, `holds "${raw}", not an exit code (0, 1 or 2).`);
      const planFile = join(dir, `${stack}.json`);
      const logFile = join(dir, `${stack}.log`);
      inputs.push({
        stack,
        exitCode: Number(raw),
        ...(existsSync(planFile) ? { plan: readPlanJson(planFile) } : {}),
        ...(existsSync(logFile) ? { log: readFileSync(logFile, 'utf8') } : {}),
      });
    }
  };
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new PlanFileError(dir, 'is not a folder of drift results (<stack>.exitcode files).');
    walk(dir);
  }
  return inputs.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

const STATUS_TEXT: Record<DriftStatus, string> = {
  clean: 'no drift',
  drift: '**drift**',
  pending: 'undeployed changes',
  failed: '**plan failed**',
};

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** Options of {@link renderDriftReport}. */
export interface DriftRenderOptions {
  /** Date or time of the check, in the heading. */
  date?: string;
  /** Link to the workflow run, for the logs and the plan artifacts. */
  runUrl?: string;
  /** Longest list of resources per stack (default 50). */
  maxRows?: number;
}

/**
 * Markdown of a drift check: a table of every stack's status, then, per stack that is not
 * clean, what drifted, what the plan would do and how to resolve it.
 */
export function renderDriftReport(
  results: readonly StackDrift[],
  options: DriftRenderOptions = {},
): string {
  const maxRows = options.maxRows ?? 50;
  const notClean = results.filter((r) => r.status !== 'clean');
  const lines = [
    DRIFT_REPORT_MARKER,
    `## Drift check${options.date ? ` of ${options.date}` : ''}`,
    '',
    results.length === 0
      ? 'No stack was checked.'
      : notClean.length === 0
        ? `All ${results.length} stacks match main: **no drift**.`
        : `${notClean.length} of ${results.length} stacks do not match main.`,
    ...(options.runUrl ? ['', `Run: ${options.runUrl}`] : []),
    '',
  ];
  if (results.length > 0)
    lines.push(
      '| Stack | Result | Changed outside Terraform | Plan would change |',
      '| ----- | ------ | ------------------------: | ----------------: |',
      ...results.map((r) =>
        r.status === 'failed'
          ? `| ${r.stack} | ${STATUS_TEXT.failed} | – | – |`
          : `| ${r.stack} | ${STATUS_TEXT[r.status]} | ${r.drifted.length} | ${r.planned.length} |`,
      ),
      '',
    );
  const list = (changes: readonly ResourceChange[]) => [
    ...changes.slice(0, maxRows).map((c) => `- ${c.action}: ${code(c.address)}`),
    ...(changes.length > maxRows
      ? [`- … and ${changes.length - maxRows} more (see the run's plan artifacts)`]
      : []),
  ];
  for (const r of notClean) {
    lines.push(`### ${r.stack}: ${STATUS_TEXT[r.status].replace(/\*/g, '')}`, '');
    if (r.status === 'failed') {
      lines.push(
        'The plan stopped with an error, so drift is unknown. Check the role, the state lock and the log:',
        '',
        ...(r.logTail ? ['```', r.logTail, '```', ''] : []),
      );
      continue;
    }
    if (r.drifted.length > 0)
      lines.push('Changed outside Terraform since the last apply:', '', ...list(r.drifted), '');
    lines.push('The plan against main would:', '', ...list(r.planned), '');
    lines.push(
      r.status === 'drift'
        ? 'Resolve: if the manual change was wrong, re-run the deploy of main to put it back; if it was right, make the same change in the code and deploy it.'
        : 'Nothing changed outside Terraform: main holds changes that are not deployed yet (a deploy waiting for approval, or one that failed). Finish or re-run that deploy.',
      '',
    );
  }
  const text = `${lines.join('\n').trimEnd()}\n`;
  // An issue body has the same limit as a comment.
  return text.length < GITHUB_COMMENT_LIMIT - 536 || maxRows <= 5
    ? text
    : renderDriftReport(results, { ...options, maxRows: Math.floor(maxRows / 3) });
}

/** The counts a workflow branches on, written with `--json`. */
export interface DriftStatusJson {
  drifted: string[];
  pending: string[];
  failed: string[];
  clean: string[];
  /** True when the issue should be opened or updated (drift or undeployed changes). */
  notify: boolean;
}

/** Usage text. */
export const USAGE = `Usage: drift-report [options] <folder>...

Reads <stack>.exitcode (terraform plan -detailed-exitcode: 0, 1 or 2), <stack>.json
(terraform show -json of that plan) and optionally <stack>.log from each folder, recursively,
and renders the drift report as Markdown.

  --out <file>      write the Markdown there instead of stdout
  --json <file>     write {"drifted":[...],"pending":[...],"failed":[...],"clean":[...],"notify":bool}
  --date <text>     date of the check, for the heading
  --run-url <url>   link to the workflow run
  --help            this text

Exit codes: 0 report written (drift or not: the workflow decides from --json); 1 a result
cannot be read; 2 bad usage.`;

/** Parsed command line. */
export interface CliArgs {
  dirs: string[];
  out?: string;
  json?: string;
  date?: string;
  runUrl?: string;
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws {UsageError} on an unknown flag, a missing value or no folder.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, { values: ['out', 'json', 'date', 'run-url'], positional: true });
  if (flags === 'help') return flags;
  const { values, positional: dirs } = flags;
  if (dirs.length === 0) throw new UsageError('give the folder of drift results');
  return {
    dirs,
    ...(values.out ? { out: values.out } : {}),
    ...(values.json ? { json: values.json } : {}),
    ...(values.date ? { date: values.date } : {}),
    ...(values['run-url'] ? { runUrl: values['run-url'] } : {}),
  };
}

/** Runs the command; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    {
      name: 'drift-report',
      usage: USAGE,
      parse: parseArgs,
      run: (args, out) => {
        const results = readDriftResults(args.dirs).map(assessStack);
        const markdown = renderDriftReport(results, {
          ...(args.date ? { date: args.date } : {}),
          ...(args.runUrl ? { runUrl: args.runUrl } : {}),
        });
        const of = (status: DriftStatus) =>
          results.filter((r) => r.status === status).map((r) => r.stack);
        const status: DriftStatusJson = {
          drifted: of('drift'),
          pending: of('pending'),
          failed: of('failed'),
          clean: of('clean'),
          notify: results.some((r) => r.status === 'drift' || r.status === 'pending'),
        };
        if (args.json) writeFileSync(args.json, `${JSON.stringify(status)}\n`);
        if (args.out) writeFileSync(args.out, markdown);
        else out.write(markdown);
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'drift-report', main);
