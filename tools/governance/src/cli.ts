/**
 * Command line of the governance engine.
 *
 * @example npx tsx tools/governance/src/cli.ts scan --hcl terraform/modules/bucket --profile strict
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitCode, scan, type ScanOptions } from './engine';
import { GovernanceError, UsageError } from './errors';
import { PROFILE_NAMES, type ProfileName } from './profiles';
import { FORMATS, render, type Format } from './report';
import { RULES } from './rules';
import { SEVERITIES, type Severity } from './rules/types';

/** Usage text. */
export const USAGE = `Usage: governance scan [options]
       governance stacks --environment <env> [options]
       governance rules

stacks: every synthesized stack of one environment, through its offline plan
  (terraform/stacks/cdktf.out/stacks/*-<env> and dist/terraform/plans/<env>/<stack>.json; run
  npx nx run stacks:plan:<env> first), with the environment's profile and governance/waivers.yaml.
  --stacks-dir <dir>       default terraform/stacks/cdktf.out/stacks
  --plans-dir <dir>        default dist/terraform/plans/<env>

Inputs (repeatable, at least one):
  --hcl <dir>              folder of *.tf files (local child modules are followed)
  --tf-json <file>         Terraform JSON, e.g. terraform/stacks/cdktf.out/stacks/<stack>/cdk.tf.json
  --plan <file>            plan JSON from terraform show -json
  --plan-root <dir>        folder the plans were made in (maps module resources to HCL lines)

Options:
  --profile <name>         ${PROFILE_NAMES.join('|')} (default: from --environment, else baseline)
  --environment <env>      environment; mapped to a profile by governance/config.yaml
  --config <file>          config file (default governance/config.yaml when present)
  --waivers <file>         waiver file, e.g. governance/waivers.yaml
  --format <fmt>           ${FORMATS.join('|')} (default table)
  --out <file>             write the report there instead of stdout
  --allow-destroy <addr>   allow deleting/replacing this stateful resource in this run (repeatable, globs ok)
  --fail-on <severity>     ${SEVERITIES.join('|')} (default high)
  --help                   this text

Exit codes: 0 no findings at or above --fail-on; 1 findings; 2 bad input, bad usage or expired waiver.`;

/** Parsed command line. */
export interface CliArgs {
  command: 'scan' | 'stacks' | 'rules' | 'help';
  /** `stacks`: where the synthesized stacks and their plans are. */
  stacksDir?: string;
  plansDir?: string;
  options: ScanOptions;
  format: Format;
  out?: string;
  failOn: Severity;
}

/**
 * Parses argv (without node and script).
 *
 * @throws UsageError naming the bad flag or value.
 */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    command: 'help',
    options: { hcl: [], tfJson: [], plans: [], allowDestroy: [] },
    format: 'table',
    failOn: 'high',
  };
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return args;
  // `--flag=value` (as Nx passes target options) is the same as `--flag value`.
  const [command, ...rest] = argv.flatMap((a) =>
    /^--[a-z-]+=/.test(a) ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a],
  );
  if (command !== 'scan' && command !== 'stacks' && command !== 'rules')
    throw new UsageError(`unknown command "${command}"; expected "scan", "stacks" or "rules".`);
  args.command = command;
  const value = (i: number, flag: string) => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const o = args.options;
    switch (flag) {
      case '--hcl':
        o.hcl!.push(value(i++, flag));
        break;
      case '--tf-json':
        o.tfJson!.push(value(i++, flag));
        break;
      case '--plan':
        o.plans!.push(value(i++, flag));
        break;
      case '--plan-root':
        o.planRoot = value(i++, flag);
        break;
      case '--profile': {
        const v = value(i++, flag);
        if (!PROFILE_NAMES.includes(v as ProfileName))
          throw new UsageError(
            `--profile must be one of ${PROFILE_NAMES.join(', ')} (got "${v}").`,
          );
        o.profile = v as ProfileName;
        break;
      }
      case '--environment':
        o.environment = value(i++, flag);
        break;
      case '--config':
        o.config = value(i++, flag);
        break;
      case '--waivers':
        o.waivers = value(i++, flag);
        break;
      case '--format': {
        const v = value(i++, flag);
        if (!FORMATS.includes(v as Format))
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${v}").`);
        args.format = v as Format;
        break;
      }
      case '--out':
        args.out = value(i++, flag);
        break;
      case '--stacks-dir':
        args.stacksDir = value(i++, flag);
        break;
      case '--plans-dir':
        args.plansDir = value(i++, flag);
        break;
      case '--allow-destroy':
        o.allowDestroy!.push(value(i++, flag));
        break;
      case '--fail-on': {
        const v = value(i++, flag);
        if (!SEVERITIES.includes(v as Severity))
          throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} (got "${v}").`);
        args.failOn = v as Severity;
        break;
      }
      default:
        throw new UsageError(`unknown option "${flag}".`);
    }
  }
  if (args.command === 'scan' && !o().hcl!.length && !o().tfJson!.length && !o().plans!.length)
    throw new UsageError('nothing to scan: give at least one --hcl, --tf-json or --plan.');
  if (args.command === 'stacks' && !o().environment)
    throw new UsageError('stacks needs --environment <env> (e.g. dev).');
  return args;
  function o() {
    return args.options;
  }
}

/** Runs the CLI; returns the exit code. Output goes through `write` / `error` (injectable for tests). */
export async function main(
  argv: string[],
  io: { write: (s: string) => void; error: (s: string) => void } = {
    write: (s) => process.stdout.write(s),
    error: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.error(`governance: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') {
    io.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'rules') {
    for (const r of RULES)
      io.write(
        `${r.id}\t${r.severity}\t${Object.keys(r.profiles).join(',')}\t${r.title}\tcheckov: ${r.checkov.join(',') || '-'}\ttrivy: ${r.trivy.join(',') || '-'}${r.noPublicEquivalent ? `\tno public equivalent: ${r.noPublicEquivalent}` : ''}${r.differences ? `\tdiffers: ${r.differences}` : ''}\n`,
      );
    return 0;
  }
  try {
    if (!args.options.config) args.options.config = 'governance/config.yaml';
    if (args.command === 'stacks') Object.assign(args.options, stackInputs(args));
    const result = await scan(args.options);
    const text = render(result, args.format);
    if (args.out) writeFileSync(args.out, text);
    else io.write(text);
    // The table already lists the warnings; other formats (or a file) get them on stderr too.
    if (args.out || args.format !== 'table')
      for (const w of result.warnings) io.error(`warning: ${w}\n`);
    return exitCode(result, args.failOn);
  } catch (error) {
    if (error instanceof GovernanceError) {
      io.error(`governance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  // process.exitCode, not process.exit(): exiting at once would cut what is still queued for
  // a pipe (a report larger than the pipe's 64 KiB buffer, `scan --format json | jq`).
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `governance: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );

/**
 * Inputs of `governance stacks`: each `<stack>-<env>` folder's plan, mapped to the folder (so
 * findings point at the module's HCL line), and the default waiver file.
 *
 * @throws UsageError when there is no stack or a stack has no plan, naming the command to run.
 */
export function stackInputs(args: CliArgs): Partial<ScanOptions> {
  const env = args.options.environment!;
  const stacksDir = args.stacksDir ?? 'terraform/stacks/cdktf.out/stacks';
  const plansDir = args.plansDir ?? `dist/terraform/plans/${env}`;
  const stacks = existsSync(stacksDir)
    ? readdirSync(stacksDir)
        .filter((d) => d.endsWith(`-${env}`))
        .sort()
    : [];
  if (stacks.length === 0)
    throw new UsageError(
      `no synthesized stack for environment "${env}" in ${stacksDir}; run npx nx run stacks:plan:${env} first.`,
    );
  const plans: string[] = [];
  const planRoots: Record<string, string> = {};
  for (const stack of stacks) {
    const plan = path.join(plansDir, `${stack}.json`);
    if (!existsSync(plan))
      throw new UsageError(
        `stack ${stack} has no plan at ${plan}; run npx nx run stacks:plan:${env} first.`,
      );
    plans.push(plan);
    planRoots[plan] = path.join(stacksDir, stack);
  }
  return {
    plans,
    planRoots,
    ...(args.options.waivers || !existsSync('governance/waivers.yaml')
      ? {}
      : { waivers: 'governance/waivers.yaml' }),
  };
}
