/**
 * After `terraform apply`, checks that every Lambda the plan created or updated runs exactly the
 * planned zip (issue 12, item 5).
 *
 * The code is pinned by content-addressed keys that can only be created, never overwritten or
 * deleted (terraform/bootstrap's artifact bucket policy), and publish-artifacts accepts an object
 * at a key only on an exact SHA-256 match. This is the detection of anything else: Lambda reports
 * the SHA-256 of the package it runs as `CodeSha256` (base64,
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html), and the plan's
 * `source_code_hash` of each function is the base64 SHA-256 of its zip, so after the apply the
 * two must be equal. A difference means an `UpdateFunctionCode` from outside this deploy, or an
 * object that was not the zip.
 *
 * @example npx tsx tools/delivery/src/deployed-code.ts --plan terraform/stacks/cdktf.out/stacks/media-dev/media-dev.json
 */
import { readFileSync } from 'node:fs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeployedCodeError, NoCredentialsError, PlanFileError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** The part of `terraform show -json` this check reads (the planned values of each function). */
export interface PlanWithValues {
  format_version: string;
  resource_changes?: {
    address: string;
    mode?: string;
    type?: string;
    change: {
      actions: string[];
      after?: { function_name?: unknown; source_code_hash?: unknown } | null;
    };
  }[];
}

/** A function the plan creates or updates, with the SHA-256 of the zip it plans. */
export interface PlannedFunction {
  address: string;
  functionName: string;
  /** Base64 SHA-256 of the zip (`source_code_hash`). */
  codeSha256: string;
}

/**
 * The Lambda functions a plan creates, updates or replaces. A delete or no-op leaves code alone;
 * a function whose name or hash the plan does not know (unknown until apply) is reported by
 * {@link verifyDeployedCode}, since its code cannot be checked.
 */
export function plannedFunctions(plan: PlanWithValues): {
  functions: PlannedFunction[];
  unknown: string[];
} {
  const functions: PlannedFunction[] = [];
  const unknown: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'aws_lambda_function' || (rc.mode ?? 'managed') !== 'managed') continue;
    const { actions, after } = rc.change;
    if (!actions.includes('create') && !actions.includes('update')) continue;
    const name = after?.function_name;
    const hash = after?.source_code_hash;
    if (typeof name === 'string' && typeof hash === 'string' && hash !== '')
      functions.push({ address: rc.address, functionName: name, codeSha256: hash });
    else unknown.push(rc.address);
  }
  return { functions, unknown };
}

/**
 * Asks Lambda which code each planned function runs.
 *
 * @returns one line per function checked
 * @throws {DeployedCodeError} listing every function that runs other code, is missing, or cannot
 *   be checked.
 */
export async function verifyDeployedCode(
  stack: string,
  plan: PlanWithValues,
  lambda: LambdaClient = new LambdaClient({}),
): Promise<string[]> {
  const { functions, unknown } = plannedFunctions(plan);
  const problems = unknown.map(
    (address) =>
      `${address}: the plan does not know its function_name or source_code_hash, so its code cannot be checked. The stacks set both from the Lambda manifest and its zip; fix the stack.`,
  );
  const checked: string[] = [];
  for (const fn of functions) {
    try {
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: fn.functionName }),
      );
      if (config.CodeSha256 === fn.codeSha256)
        checked.push(`${fn.functionName} runs ${fn.codeSha256}`);
      else
        problems.push(
          `${fn.functionName} (${fn.address}) runs code with SHA-256 ${config.CodeSha256 ?? '(none reported)'}, not ${fn.codeSha256}, the planned zip.`,
        );
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'CredentialsProviderError')
        throw new NoCredentialsError(`${stack} deploy`, { cause: error });
      problems.push(
        name === 'ResourceNotFoundException'
          ? `${fn.functionName} (${fn.address}) does not exist after the apply: did the apply fail or was it deleted since?`
          : name === 'AccessDeniedException'
            ? `${fn.functionName}: the role may not lambda:GetFunctionConfiguration on it (AccessDeniedException); the deploy role needs it to check the deployed code.`
            : `${fn.functionName}: GetFunctionConfiguration failed (${name}: ${(error as Error).message}).`,
      );
    }
  }
  if (problems.length > 0) throw new DeployedCodeError(stack, problems);
  return checked;
}

/** Usage text. */
export const USAGE = `Usage: deployed-code --plan <plan.json> [--stack <stack>]

After terraform apply, with the deploy role: exits 1 unless every Lambda the plan creates or
updates reports, as CodeSha256, the source_code_hash the plan gave it (the SHA-256 of its zip).

  --plan <file>     terraform show -json of the applied plan
  --stack <stack>   for the messages (default: the file name without .json)
  --help            this text

Exit codes: 0 every function runs its planned zip; 1 one does not, or a failed read; 2 bad usage.`;

/** Parsed command line. */
export interface CliArgs {
  plan: string;
  stack?: string;
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws {UsageError} on an unknown flag, a missing value or no `--plan`.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, { values: ['plan', 'stack'], helpAnywhere: true });
  if (flags === 'help') return flags;
  const { values } = flags;
  if (!values.plan) throw new UsageError('--plan <plan.json> is required');
  return { plan: values.plan, ...(values.stack ? { stack: values.stack } : {}) };
}

function readPlan(file: string): PlanWithValues {
  try {
    const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanWithValues;
    if (typeof plan.format_version !== 'string') throw new Error('no format_version');
    return plan;
  } catch (error) {
    throw new PlanFileError(
      file,
      'is not terraform show -json output of the applied plan (opened from the sealed plan); check the path.',
      { cause: error },
    );
  }
}

/** Runs the command; resolves to the exit code (0 ok, 1 mismatch or failure, 2 usage). */
export function main(
  argv: string[],
  io: CliIo = processIo,
  lambda?: LambdaClient,
): Promise<number> {
  return runCli(
    {
      name: 'deployed-code',
      usage: USAGE,
      parse: parseArgs,
      run: async (args, out) => {
        const stack = args.stack ?? args.plan.replace(/^.*\//, '').replace(/\.json$/, '');
        const checked = await verifyDeployedCode(stack, readPlan(args.plan), lambda);
        out.write(
          checked.length === 0
            ? `deployed-code: ${stack}: the plan creates or updates no Lambda function; nothing to check.\n`
            : `deployed-code: ${stack}: every Lambda the plan touched runs its planned zip:\n${checked.map((line) => `  ${line}\n`).join('')}`,
        );
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'deployed-code', main);
