import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunbooksError, StaleRunbooksError, UsageError } from './errors';
import { generateRunbooks, staleRunbooks } from './generate';

/** The CLI's help text (`npm run runbooks -- --help`). */
export const USAGE = `Usage: npm run runbooks -- [--plans <dir>] [--out <dir>] [--check]

Writes docs/runbooks/<domain>.md, one section per alarm, from the dev plans
(terraform show -json of every stack; npx nx run stacks:plan:dev writes them).

  --plans <dir>  plans folder (default dist/terraform/plans/dev)
  --out <dir>    runbooks folder (default docs/runbooks)
  --check        change nothing; exit 1 listing every runbook that is missing, differs or
                 belongs to no domain of the plans`;

/** Parsed command line. */
export interface CliOptions {
  plans: string;
  out: string;
  check: boolean;
}

/**
 * Parses the command line.
 *
 * @returns `'help'` for `--help` or `-h`.
 * @throws {UsageError} for an unknown flag or a flag without its value.
 */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const options: CliOptions = {
    plans: 'dist/terraform/plans/dev',
    out: 'docs/runbooks',
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--check') options.check = true;
    else if (flag === '--plans' || flag === '--out') {
      const value = argv[++i];
      if (!value || value.startsWith('--'))
        throw new UsageError(
          `${flag} needs a folder, e.g. ${flag} ${options[flag === '--plans' ? 'plans' : 'out']}.\n\n${USAGE}`,
        );
      options[flag === '--plans' ? 'plans' : 'out'] = value;
    } else throw new UsageError(`unknown argument ${flag}.\n\n${USAGE}`);
  }
  return options;
}

/**
 * Runs the CLI in `root` (relative folders resolve there): writes the runbooks, or with
 * `--check` verifies them. Returns the lines it printed.
 *
 * @throws {StaleRunbooksError} with `--check` when a runbook is missing, differs or is extra.
 */
export function runCli(argv: string[], root: string): string[] {
  const options = parseArgs(argv);
  if (options === 'help') return [USAGE];
  const out = resolve(root, options.out);
  const generated = generateRunbooks(resolve(root, options.plans));
  const stale = staleRunbooks(out, generated);
  if (options.check) {
    if (stale.length)
      throw new StaleRunbooksError(
        `${options.out} is out of date with ${options.plans}:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRegenerate: npm run runbooks`,
        stale,
      );
    return [`${generated.size} runbooks in ${options.out} match ${options.plans}.`];
  }
  mkdirSync(out, { recursive: true });
  for (const line of stale.filter((s) => s.endsWith(': no such domain in the plans')))
    rmSync(join(out, line.split(':')[0]!));
  for (const [file, text] of generated) writeFileSync(join(out, file), text);
  return [`Wrote ${[...generated.keys()].map((f) => join(options.out, f)).join(', ')}.`];
}

if (require.main === module) {
  try {
    for (const line of runCli(process.argv.slice(2), process.cwd()))
      process.stdout.write(`${line}\n`);
  } catch (error) {
    if (!(error instanceof RunbooksError)) throw error;
    process.stderr.write(`runbooks: ${error.message}\n`);
    process.exitCode = 1;
  }
}
