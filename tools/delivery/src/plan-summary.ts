/**
 * Renders `terraform show -json` plans (one per stack) as the Markdown a reviewer reads first:
 * the pull request's sticky comment and the job summary of every plan and deploy run.
 *
 * What the Markdown promises, in this order:
 * 1. a hidden marker ({@link PLAN_SUMMARY_MARKER}) the workflow finds its own comment by, so
 *    every push edits one comment instead of adding another;
 * 2. a table of counts per stack (create, update, replace, delete, no-op);
 * 3. every destroy and replace of every stack, before anything else is listed;
 * 4. per stack, its changed resources (most dangerous first), or "No changes." said plainly;
 * 5. the governance report, when given, appended as is.
 *
 * GitHub refuses a comment over 65,536 characters; {@link renderPlanSummary} shortens the
 * per-stack tables (then the governance report) until the text fits, and says what it left out.
 *
 * @example npx tsx tools/delivery/src/plan-summary.ts dist/terraform/plans/dev --governance governance.md
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PlanFileError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** Hidden first line of the comment; the workflow edits the comment that contains it. */
export const PLAN_SUMMARY_MARKER = '<!-- slipway:plan-summary -->';

/** GitHub's limit on an issue or pull request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What a resource change does, as a reviewer reads it. */
export type ChangeAction = 'delete' | 'replace' | 'forget' | 'update' | 'create' | 'no-op' | 'read';

/** The subset of `terraform show -json` this tool reads. */
export interface TerraformPlanJson {
  format_version: string;
  terraform_version?: string;
  errored?: boolean;
  resource_changes?: {
    address: string;
    mode?: string;
    change: { actions: string[] };
    action_reason?: string;
  }[];
  resource_drift?: { address: string; change: { actions: string[] } }[];
  output_changes?: Record<string, { actions: string[] }>;
}

/** One stack's plan, named. */
export interface NamedPlan {
  /** `<domain>-<env>`, or whatever the plan file was named after. */
  stack: string;
  plan: TerraformPlanJson;
}

/** Counts per action of one plan. `read` (data sources) and `forget` are not counted. */
export interface ActionCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  'no-op': number;
}

/** One managed resource the plan would change. */
export interface ResourceChange {
  address: string;
  action: ChangeAction;
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`. */
  reason?: string;
}

/** A plan reduced to what the summary shows. */
export interface StackSummary {
  stack: string;
  counts: ActionCounts;
  /** Changed resources, most dangerous first (delete, replace, forget, update, create). */
  changes: ResourceChange[];
  /** Root outputs whose value would change (a plan can change outputs and no resource). */
  outputChanges: string[];
  /** Terraform stopped with an error while planning: the plan is incomplete. */
  errored: boolean;
}

/** Danger order: what a reviewer must see first comes first. */
const ACTION_ORDER: readonly ChangeAction[] = [
  'delete',
  'replace',
  'forget',
  'update',
  'create',
  'no-op',
  'read',
];

/**
 * The reviewer's name for Terraform's action list: `["delete","create"]` and
 * `["create","delete"]` (create before destroy) are both a replace.
 */
export function classifyActions(actions: readonly string[]): ChangeAction {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('create')) return 'create';
  if (actions.includes('update')) return 'update';
  if (actions.includes('forget')) return 'forget';
  if (actions.includes('read')) return 'read';
  return 'no-op';
}

/** Counts and changed resources of one plan; data-source reads are left out. */
export function summarizeStack({ stack, plan }: NamedPlan): StackSummary {
  const counts: ActionCounts = { create: 0, update: 0, replace: 0, delete: 0, 'no-op': 0 };
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = classifyActions(rc.change.actions);
    if (action === 'read' || rc.mode === 'data') continue;
    if (action in counts) counts[action as keyof ActionCounts]++;
    if (action !== 'no-op')
      changes.push({
        address: rc.address,
        action,
        ...(rc.action_reason ? { reason: rc.action_reason } : {}),
      });
  }
  changes.sort(
    (a, b) =>
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => classifyActions(change.actions) !== 'no-op')
    .map(([name]) => name)
    .sort();
  return { stack, counts, changes, outputChanges, errored: plan.errored === true };
}

/** Options of {@link renderPlanSummary}. */
export interface RenderOptions {
  /** Heading of the summary (default `Terraform plan`). */
  title?: string;
  /** Commit the plans were made at, shown under the heading. */
  commit?: string;
  /** Markdown appended after the plans, e.g. the governance report. */
  governanceMarkdown?: string;
  /** Longest text to return (default 65,000: under GitHub's 65,536 with room for the caller). */
  maxChars?: number;
}

/** `|` ends a table cell and a backtick ends inline code: keep addresses intact in a table. */
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

/** Tables longer than this are folded into a `<details>` block. */
const FOLD_AFTER_ROWS = 15;

const isDestructive = (change: ResourceChange) =>
  change.action === 'delete' || change.action === 'replace';

function countsLine(c: ActionCounts): string {
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`;
}

/** Markdown of one rendering attempt; `rowLimit` caps each stack's table (Infinity: all rows). */
function renderWith(
  summaries: readonly StackSummary[],
  options: RenderOptions,
  rowLimit: number,
  governance: string | undefined,
): string {
  const lines: string[] = [PLAN_SUMMARY_MARKER, `## ${options.title ?? 'Terraform plan'}`, ''];
  const changed = summaries.filter((s) => s.changes.length > 0);
  if (summaries.length === 0) {
    lines.push('No stacks affected by this change: nothing to plan.', '');
  } else {
    lines.push(
      `${summaries.length} stack${summaries.length === 1 ? '' : 's'} planned${options.commit ? ` at \`${options.commit.slice(0, 12)}\`` : ''}; ` +
        (changed.length === 0
          ? '**no changes** in any of them.'
          : `${changed.length} with changes.`),
      '',
      '| Stack | Create | Update | Replace | Delete | No-op |',
      '| ----- | -----: | -----: | ------: | -----: | ----: |',
      ...summaries.map(
        ({ stack, counts: c, errored }) =>
          `| ${stack}${errored ? ' (errored)' : ''} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c['no-op']} |`,
      ),
      '',
    );
    const errored = summaries.filter((s) => s.errored);
    if (errored.length > 0)
      lines.push(
        `> [!WARNING]`,
        `> Terraform reported an error while planning ${errored.map((s) => s.stack).join(', ')}: that plan is incomplete. Read the plan job's log.`,
        '',
      );
    const destructive = summaries.flatMap((s) =>
      s.changes.filter(isDestructive).map((change) => ({ stack: s.stack, change })),
    );
    if (destructive.length > 0) {
      const shown = destructive.slice(0, Math.max(rowLimit, 20));
      lines.push(
        '> [!CAUTION]',
        `> **${destructive.length} resource${destructive.length === 1 ? '' : 's'} would be destroyed or replaced.** Make sure each one is intended; replacing a bucket or a log group loses its data.`,
        '>',
        ...shown.map(
          ({ stack, change }) =>
            `> - ${stack}: **${change.action}** ${code(change.address)}${change.reason ? ` (${change.reason})` : ''}`,
        ),
        ...(destructive.length > shown.length
          ? [`> - … and ${destructive.length - shown.length} more (see the plan artifact).`]
          : []),
        '',
      );
    }
    for (const s of summaries) {
      if (s.changes.length === 0 && s.outputChanges.length > 0) {
        lines.push(
          `### ${s.stack}: no resource changes`,
          '',
          `No resource changes; only output values change: ${s.outputChanges.map(code).join(', ')}.`,
          '',
        );
        continue;
      }
      if (s.changes.length === 0) {
        lines.push(
          `### ${s.stack}: no changes`,
          '',
          'No changes. The infrastructure matches the configuration.',
          '',
        );
        continue;
      }
      lines.push(`### ${s.stack}: ${countsLine(s.counts)}`, '');
      const rows = s.changes.slice(0, rowLimit);
      // Long lists fold away; destroys and replaces are already in the caution block above.
      const fold = rows.length > FOLD_AFTER_ROWS;
      if (fold) lines.push(`<details><summary>${rows.length} changed resources</summary>`, '');
      if (rows.length > 0)
        lines.push(
          '| Action | Resource |',
          '| ------ | -------- |',
          ...rows.map(
            (c) => `| ${isDestructive(c) ? `**${c.action}**` : c.action} | ${code(c.address)} |`,
          ),
        );
      if (fold) lines.push('', '</details>');
      if (s.changes.length > rows.length)
        lines.push(
          '',
          `… ${s.changes.length - rows.length} more change${s.changes.length - rows.length === 1 ? '' : 's'} not listed here to stay under GitHub's comment size limit; the job summary of the plan run and the plan artifact have them all.`,
        );
      lines.push('');
    }
  }
  if (governance !== undefined) lines.push('---', '', governance.trim(), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * Renders the Markdown summary of some plans: counts per stack, destroys and replaces first,
 * each stack's changed resources, then the governance report. Fits in `maxChars` by listing
 * fewer rows per stack, then by cutting the governance report, each time saying so.
 *
 * @example
 * const md = renderPlanSummary([summarizeStack({ stack: 'media-dev', plan })], { commit: sha });
 */
export function renderPlanSummary(
  summaries: readonly StackSummary[],
  options: RenderOptions = {},
): string {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_LIMIT - 536;
  for (const rowLimit of [Infinity, 200, 50, 10, 0]) {
    const text = renderWith(summaries, options, rowLimit, options.governanceMarkdown);
    if (text.length <= maxChars) return text;
  }
  const note =
    "\n\n… the governance report was cut here to stay under GitHub's comment size limit; the job summary of the governance job has all of it.\n";
  const withoutGovernance = renderWith(summaries, options, 0, undefined);
  if (options.governanceMarkdown !== undefined) {
    const room = maxChars - withoutGovernance.length - note.length - 10;
    if (room > 200) {
      const cut = options.governanceMarkdown.slice(0, room);
      const text = renderWith(summaries, options, 0, cut.slice(0, cut.lastIndexOf('\n')) + note);
      if (text.length <= maxChars) return text;
    }
  }
  const last = "\n\n… cut here to stay under GitHub's comment size limit; see the plan artifact.\n";
  return withoutGovernance.length <= maxChars
    ? withoutGovernance
    : withoutGovernance.slice(0, maxChars - last.length) + last;
}

/**
 * Reads one `terraform show -json` file.
 *
 * @throws {PlanFileError} when it cannot be read, is not JSON, or has no `format_version`.
 */
export function readPlanJson(file: string): TerraformPlanJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlanFileError(file, 'cannot be read; check the path.', { cause: error });
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(
      file,
      'is not JSON. Give the output of `terraform show -json <planfile>`, not the binary plan.',
      { cause: error },
    );
  }
  if (
    typeof plan !== 'object' ||
    plan === null ||
    typeof (plan as { format_version?: unknown }).format_version !== 'string'
  )
    throw new PlanFileError(
      file,
      'has no "format_version": it is not `terraform show -json <planfile>` output.',
    );
  return plan as TerraformPlanJson;
}

/**
 * The value-free part of a plan that this summary reads: format, addresses, modes, actions and
 * Terraform's `action_reason`, output names and their actions, `errored`. No `before`/`after`,
 * no variables, planned values or prior state. Written beside a plan as `<stack>.changes.json`
 * (`--changes-out`), it is what a job without the plan (the pull request report) renders from.
 *
 * @example redactPlan(readPlanJson('media-dev.json')) // { format_version, resource_changes: [{ address, mode, change: { actions } }] }
 */
export function redactPlan(plan: TerraformPlanJson): TerraformPlanJson {
  const actionsOf = (change: { actions?: unknown } | undefined) =>
    Array.isArray(change?.actions) ? change.actions.filter((a) => typeof a === 'string') : [];
  return {
    format_version: plan.format_version,
    ...(plan.terraform_version ? { terraform_version: plan.terraform_version } : {}),
    ...(plan.errored ? { errored: true } : {}),
    resource_changes: (plan.resource_changes ?? []).map((rc) => ({
      address: rc.address,
      ...(rc.mode ? { mode: rc.mode } : {}),
      change: { actions: actionsOf(rc.change) },
      ...(rc.action_reason ? { action_reason: rc.action_reason } : {}),
    })),
    ...(plan.resource_drift
      ? {
          resource_drift: plan.resource_drift.map((rd) => ({
            address: rd.address,
            change: { actions: actionsOf(rd.change) },
          })),
        }
      : {}),
    ...(plan.output_changes
      ? {
          output_changes: Object.fromEntries(
            Object.entries(plan.output_changes).map(([name, change]) => [
              name,
              { actions: actionsOf(change) },
            ]),
          ),
        }
      : {}),
  };
}

/** The suffix of a redacted plan ({@link redactPlan}); the stack is the name before it. */
export const CHANGES_SUFFIX = '.changes.json';

/** Files that sit beside plan JSON but are not plans (metadata, the offline summary). */
const isPlanJsonName = (name: string) =>
  name.endsWith('.json') && !name.endsWith('.meta.json') && name !== 'summary.json';

/** `media-dev.json` and `media-dev.changes.json` (a redacted plan) are both media-dev's. */
const stackOf = (name: string) =>
  name.endsWith(CHANGES_SUFFIX)
    ? name.slice(0, -CHANGES_SUFFIX.length)
    : name.replace(/\.json$/, '');

/**
 * Plan JSON files of `paths`: files as given, directories searched recursively for `*.json`
 * (minus `*.meta.json` and `summary.json`). The stack is the file name without `.json` (or
 * without `.changes.json`, a redacted plan).
 *
 * @throws {PlanFileError} for a path that does not exist.
 */
export function collectPlanFiles(paths: readonly string[]): { stack: string; file: string }[] {
  const found: { stack: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (isPlanJsonName(name)) found.push({ stack: stackOf(name), file: full });
    }
  };
  for (const path of paths) {
    if (!existsSync(path))
      throw new PlanFileError(path, 'does not exist; give plan JSON files or folders of them.');
    if (statSync(path).isDirectory()) walk(path);
    else found.push({ stack: stackOf(basename(path)), file: path });
  }
  return found.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

/** Usage text. */
export const USAGE = `Usage: plan-summary [options] <plan.json | folder>...

Renders terraform show -json plans as Markdown for a pull request comment or a job summary.
Folders are searched for *.json (not *.meta.json or summary.json); a plan's stack is its file
name without .json (dist/terraform/plans/dev/media-dev.json → media-dev). No plan at all renders
"No stacks affected".

  --governance <file>   Markdown appended after the plans (e.g. the governance report)
  --title <text>        heading (default "Terraform plan")
  --commit <sha>        commit the plans were made at, shown under the heading
  --max-chars <n>       longest output (default 65000; GitHub refuses comments over 65536)
  --out <file>          write the Markdown there instead of stdout
  --changes-out <file>  also write the one plan given without any value (<stack>.changes.json:
                        addresses, actions, output names), for a job that may not see the plan
  --help                this text

Exit codes: 0 rendered; 1 a plan or the governance file cannot be read; 2 bad usage.`;

/** Parsed command line. */
export interface CliArgs {
  paths: string[];
  governance?: string;
  title?: string;
  commit?: string;
  maxChars?: number;
  out?: string;
  changesOut?: string;
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws {UsageError} on an unknown flag, a missing value or no path at all.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, {
    values: ['governance', 'title', 'commit', 'max-chars', 'out', 'changes-out'],
    positional: true,
    check: (flag, value) => {
      const n = Number(value);
      if (flag === 'max-chars' && (!Number.isInteger(n) || n < 500))
        throw new UsageError(`--max-chars must be a whole number of at least 500, not ${value}`);
    },
  });
  if (flags === 'help') return flags;
  const { values, positional: paths } = flags;
  const maxChars = values['max-chars'] === undefined ? undefined : Number(values['max-chars']);
  if (paths.length === 0)
    throw new UsageError('give at least one plan JSON file or folder of them');
  return {
    paths,
    ...(values.governance ? { governance: values.governance } : {}),
    ...(values.title ? { title: values.title } : {}),
    ...(values.commit ? { commit: values.commit } : {}),
    ...(maxChars !== undefined ? { maxChars } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values['changes-out'] ? { changesOut: values['changes-out'] } : {}),
  };
}

/** Runs the command; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    {
      name: 'plan-summary',
      usage: USAGE,
      parse: parseArgs,
      failureCode: (error) => (error instanceof UsageError ? 2 : 1),
      run: (args, out) => {
        const plans = collectPlanFiles(args.paths).map(({ stack, file }) => ({
          stack,
          plan: readPlanJson(file),
        }));
        if (args.changesOut !== undefined) {
          if (plans.length !== 1)
            throw new UsageError(
              `--changes-out writes one plan's changes; ${plans.length} plans were given. Run it once per plan.`,
            );
          writeFileSync(
            args.changesOut,
            `${JSON.stringify(redactPlan((plans[0] as NamedPlan).plan), null, 2)}\n`,
          );
        }
        const summaries = plans.map(summarizeStack);
        let governanceMarkdown: string | undefined;
        if (args.governance !== undefined) {
          try {
            governanceMarkdown = readFileSync(args.governance, 'utf8');
          } catch (error) {
            throw new PlanFileError(args.governance, 'cannot be read (--governance).', {
              cause: error,
            });
          }
        }
        const markdown = renderPlanSummary(summaries, {
          ...(args.title ? { title: args.title } : {}),
          ...(args.commit ? { commit: args.commit } : {}),
          ...(args.maxChars ? { maxChars: args.maxChars } : {}),
          ...(governanceMarkdown !== undefined ? { governanceMarkdown } : {}),
        });
        if (args.out) writeFileSync(args.out, markdown);
        else out.write(markdown);
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'plan-summary', main);
