import { pathToFileURL } from 'node:url';
import { AwsRecoveryBackend } from './aws-backend';
import type { RecoveryBackend } from './backend';
import { processIo, readFlags, type CliIo } from './cli-kit';
import { MessagesKeptError, RecoveryError, UsageError } from './errors';
import { checkRegion, parseExecutionArn, parseQueue } from './names';
import { formatRedriveTable, redrive, type RedriveOptions } from './redrive';
import { rerun, type RerunOptions } from './rerun';
import { decodeStack, loadSourceMap, type StackClients, type StackOptions } from './stack';

/**
 * `npm run slipway -- <command>`: the on-call engineer's recovery commands against a real
 * account (credentials and region from the AWS SDK's usual chain). The same work runs on the
 * sandbox through `redrive`/`rerun` with a `SandboxRecoveryBackend`. `stack` decodes a Lambda's
 * stack trace with its source map (./stack.ts).
 */

/** The CLI's help text (`npm run slipway -- --help`). */
export const USAGE = `Usage: slipway <command> [flags]

Commands:
  redrive --queue <dlq name or URL> [--dry-run] [--limit N] [--region r]
      Re-send the events a function's dead-letter queue (<function>-dlq) holds to that function
      (an asynchronous Invoke of each record's requestPayload), delete each message once Lambda
      accepted it, keep (and say why) every other one. --dry-run lists what would be sent and
      changes nothing; --limit handles at most N messages. Exit 1 when a message was kept.
  rerun --execution <arn> [--force] [--region r]
      Start a new execution of the state machine with the input of a FAILED, TIMED_OUT or
      ABORTED execution, named <name>-rerun-<UTC time>; prints the new ARN. --force also
      re-runs a RUNNING or SUCCEEDED one.
  stack --function <lambda> [--map <file>] [--environment <env> [--bucket <artifact bucket>]]
      Read a stack trace (or a CloudWatch log line, or a Powertools JSON log with a stack) from
      stdin and print it with every handler.js:L:C frame mapped to <source>.ts:L:C (function).
      The map: --map; else with --environment the deployed function's (by its CodeSha256: this
      checkout's dist/apps/<lambda>/<lambda>.js.map when its zip is that code, else
      s3://<bucket>/<env>/<lambda>/<hex CodeSha256>.js.map; --bucket defaults to the
      environment's artifact bucket); else dist/apps/<lambda>/<lambda>.js.map.

--region defaults to the queue URL's or the ARN's region, else AWS_REGION.`;

/** What the CLI asks for: the parsed command and the region its backend works in. */
export type CliArgs =
  | { command: 'redrive'; options: RedriveOptions; region?: string }
  | { command: 'rerun'; options: RerunOptions; region?: string }
  | { command: 'stack'; options: StackOptions; region?: undefined };

/**
 * Parses the command line.
 *
 * @returns `'help'` for `--help`, `-h` or no arguments.
 * @throws {UsageError} naming the bad argument and what to give instead.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return 'help';
  if (command === 'redrive') {
    const flags = readFlags(rest, {
      values: ['queue', 'limit', 'region'],
      switches: ['dry-run'],
      command: 'redrive',
    });
    if (flags === 'help') return 'help';
    const { queue, limit, region } = flags.values;
    if (!queue)
      throw new UsageError('redrive needs --queue <function>-dlq (a name or a queue URL)');
    const ref = parseQueue(queue);
    if (limit !== undefined && !/^[1-9]\d{0,8}$/.test(limit))
      throw new UsageError(
        `--limit ${JSON.stringify(limit)} is not a positive integer: give how many messages to handle at most, e.g. --limit 10.`,
      );
    return {
      command,
      options: {
        queue,
        dryRun: flags.switches['dry-run'],
        ...(limit ? { limit: Number(limit) } : {}),
      },
      ...regionOf(region, ref.region, `the queue URL's region ${ref.region}`),
    };
  }
  if (command === 'rerun') {
    const flags = readFlags(rest, {
      values: ['execution', 'region'],
      switches: ['force'],
      command: 'rerun',
    });
    if (flags === 'help') return 'help';
    const { execution, region } = flags.values;
    if (!execution)
      throw new UsageError(
        'rerun needs --execution <arn> (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)',
      );
    const arn = parseExecutionArn(execution);
    return {
      command,
      options: { execution, force: flags.switches.force },
      ...regionOf(region, arn.region, `the execution ARN's region ${arn.region}`),
    };
  }
  if (command === 'stack') {
    const flags = readFlags(rest, {
      values: ['function', 'map', 'environment', 'bucket'],
      switches: [],
      command: 'stack',
    });
    if (flags === 'help') return 'help';
    const { function: lambda, map, environment, bucket } = flags.values;
    if (!lambda)
      throw new UsageError(
        'stack needs --function <lambda> (the name of its folder in apps/, e.g. edge-authorizer)',
      );
    if (!/^[a-z][a-z0-9-]*$/.test(lambda))
      throw new UsageError(
        `--function ${JSON.stringify(lambda)} is not a Lambda's name: give the name of its folder in apps/ (kebab-case, e.g. edge-authorizer), not the deployed function's name or ARN.`,
      );
    if (map && environment)
      throw new UsageError(
        '--map and --environment both name a map: give --map <file> or --environment <env>, not both.',
      );
    if (bucket && !environment)
      throw new UsageError(
        '--bucket needs --environment <env>: the map is found there by the deployed function’s CodeSha256.',
      );
    return {
      command,
      options: {
        lambda,
        ...(map ? { map } : {}),
        ...(environment ? { environment } : {}),
        ...(bucket ? { bucket } : {}),
      },
    };
  }
  throw new UsageError(
    `unknown command ${JSON.stringify(command)}: give redrive, rerun or stack (slipway --help lists them)`,
  );
}

function regionOf(flag: string | undefined, implied: string | undefined, what: string) {
  if (flag !== undefined) checkRegion(flag);
  if (flag !== undefined && implied !== undefined && flag !== implied)
    throw new UsageError(
      `--region ${flag} contradicts ${what}: drop --region or give the resource in ${flag}.`,
    );
  const region = flag ?? implied;
  return region ? { region } : {};
}

/**
 * Runs the CLI: exit 2 with the usage on bad arguments, 0 on success or `--help`, 1 with one
 * line naming the command when it fails (a redrive that kept messages prints its table first).
 * AWS service and credential errors become that line too; other errors are bugs and propagate.
 *
 * @param backendOf the backend for a region (AWS by default; tests pass mocked clients or the sandbox's).
 * @param stack where `stack` looks for maps (the checkout's root, default the working directory)
 *   and the clients it uses (new ones in the environment's region by default).
 */
export async function main(
  argv: string[],
  io: CliIo = processIo,
  backendOf: (region?: string) => RecoveryBackend = (region) =>
    new AwsRecoveryBackend(region ? { region } : {}),
  stack: { root?: string; clients?: StackClients } = {},
): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(`slipway: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    io.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (args.command === 'stack') {
      const loaded = await loadSourceMap(args.options, stack.root ?? process.cwd(), stack.clients);
      const input = await (io.read ?? readStdin)();
      const decoded = decodeStack(input, loaded, args.options.lambda);
      io.error(`slipway stack: decoded with ${loaded.from}\n`);
      io.write(decoded.endsWith('\n') ? decoded : `${decoded}\n`);
      return 0;
    }
    const backend = backendOf(args.region);
    if (args.command === 'redrive') {
      const report = await redrive(backend, args.options);
      io.write(`${formatRedriveTable(report)}\n`);
      if (report.kept) throw new MessagesKeptError(report.kept, report.rows.length, report.queue);
    } else {
      const started = await rerun(backend, args.options);
      io.error(
        `slipway rerun: started ${started.name} on ${started.stateMachineArn} with the input of ${started.from.executionArn} (${started.from.status})\n`,
      );
      io.write(`${started.executionArn}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof RecoveryError || isAwsError(error)) {
      const e = error as Error;
      const text = error instanceof RecoveryError ? e.message : `${e.name}: ${e.message}`;
      io.error(`slipway ${args.command}: ${text}\n`);
      return 1;
    }
    throw error;
  }
}

/** All of stdin, as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An AWS SDK service error (it carries `$metadata`) or a missing-credentials error. */
function isAwsError(error: unknown): boolean {
  return (
    error instanceof Error && ('$metadata' in error || error.name === 'CredentialsProviderError')
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `slipway: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
