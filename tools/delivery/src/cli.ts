import { pathToFileURL } from 'node:url';
import { DeliveryError, UsageError } from './errors';

/** Where a command writes: stdout and stderr by default, buffers in tests. */
export interface CliIo {
  write: (text: string) => void;
  error: (text: string) => void;
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
};

/** What a command accepts on its command line; see {@link readFlags}. */
export interface FlagSpec<Value extends string, Switch extends string = never> {
  /** Flags that take a value, as `--flag value` or `--flag=value` (names without `--`). */
  values: readonly Value[];
  /** Flags that take none (`--dry-run`); `--dry-run=yes` is an unknown argument. */
  switches?: readonly Switch[];
  /** Keep arguments that do not start with `--` (files, folders); otherwise they are unknown. */
  positional?: boolean;
  /**
   * `--help`/`-h` anywhere in argv asks for help, even where it would be a flag's value or after
   * a bad argument. Without it, arguments are read in order: a bad argument before `--help` is
   * reported, and `--out -h` is an `--out` of `-h`.
   */
  helpAnywhere?: boolean;
  /** The sub-command the flags belong to, named in the message of an unknown argument. */
  command?: string;
  /**
   * Checks each value where it stands (throw a `UsageError`), so a bad value is reported before
   * anything after it is read, e.g. before a later unknown argument or `--help`.
   */
  check?: (flag: Value, value: string) => void;
}

/** The command line as {@link readFlags} read it. */
export interface Flags<Value extends string, Switch extends string = never> {
  /** The last value given for each flag; absent when the flag was not given. */
  values: Partial<Record<Value, string>>;
  switches: Record<Switch, boolean>;
  /** Positional arguments, in order. */
  positional: string[];
}

/** True when argv asks for help anywhere (`--help` or `-h`). */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Reads the flags every delivery command shares the syntax of. Each command keeps its own checks
 * (required flags, formats) on the result; this only reads.
 *
 * @returns `'help'` when argv asks for it (see {@link FlagSpec.helpAnywhere}).
 * @throws {UsageError} `unknown argument "<arg>"` (plus ` for <command>`) for anything not in
 *   `spec`, and `--<flag> needs a value` when the value is missing, empty or the next flag.
 * @example
 * const flags = readFlags(argv, { values: ['environment', 'format'], switches: ['dry-run'] });
 * if (flags === 'help') return 'help';
 * flags.values.environment; // string | undefined
 * flags.switches['dry-run']; // boolean
 */
export function readFlags<Value extends string, Switch extends string = never>(
  argv: readonly string[],
  spec: FlagSpec<Value, Switch>,
): Flags<Value, Switch> | 'help' {
  if (spec.helpAnywhere && asksForHelp(argv)) return 'help';
  const switches = spec.switches ?? [];
  const flags: Flags<Value, Switch> = {
    values: {},
    switches: Object.fromEntries(switches.map((name) => [name, false])) as Record<Switch, boolean>,
    positional: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg.startsWith('--') && switches.includes(arg.slice(2) as Switch)) {
      flags.switches[arg.slice(2) as Switch] = true;
      continue;
    }
    if (spec.positional && !arg.startsWith('--')) {
      flags.positional.push(arg);
      continue;
    }
    // `.` stops at a line break: a value with one is refused as an unknown argument, as before.
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1] as Value | undefined;
    if (!flag || !spec.values.includes(flag))
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)}${spec.command ? ` for ${spec.command}` : ''}`,
      );
    const inline = match?.[2];
    const value = inline ?? argv[++i];
    // A following flag is not a value (`--base --head x`); `--title=--x` says it is one.
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`--${flag} needs a value`);
    spec.check?.(flag, value);
    flags.values[flag] = value;
  }
  return flags;
}

/** One delivery command: how it reads its arguments and what it does with them. */
export interface CliCommand<Args> {
  /** Prefix of every message (`plan-guard: …`). */
  name: string;
  usage: string;
  /** Parses argv; throws (a `UsageError`) on bad usage. */
  parse: (argv: string[]) => Args | 'help';
  /** Does the work; a {@link DeliveryError} it throws becomes a message and an exit code. */
  run: (args: Args, io: CliIo) => void | Promise<void>;
  /** Exit code of a failure (default 1; a usage-like failure may say 2). */
  failureCode?: (error: DeliveryError) => number;
}

/**
 * Runs a command the way every delivery CLI behaves: exit 2 with the usage on bad arguments,
 * 0 with the usage on `--help`, 0 when `run` succeeds, and 1 (or `failureCode`) with one line
 * naming the command when it throws a {@link DeliveryError}. Other errors are bugs: they propagate.
 */
export async function runCli<Args>(
  command: CliCommand<Args>,
  argv: string[],
  io: CliIo = processIo,
): Promise<number> {
  let args: Args | 'help';
  try {
    args = command.parse(argv);
  } catch (error) {
    io.error(`${command.name}: ${(error as Error).message}\n\n${command.usage}\n`);
    return 2;
  }
  if (args === 'help') {
    io.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(args, io);
    return 0;
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    io.error(`${command.name}: ${error.message}\n`);
    return command.failureCode?.(error) ?? 1;
  }
}

/**
 * Runs `main` and exits with its code when the module at `moduleUrl` is the script Node was
 * started with (`npx tsx tools/delivery/src/<command>.ts`), and does nothing when it is imported.
 */
export function runIfMain(
  moduleUrl: string,
  name: string,
  main: (argv: string[]) => Promise<number>,
): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${name}: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
