import { UsageError } from './errors';

/**
 * The command-line conventions of tools/delivery/src/cli.ts (`--flag value` or `--flag=value`,
 * switches, exit 2 with the usage on bad arguments, 0 on `--help`), in the few lines the
 * recovery tools need: delivery's helpers have no import path (`@slipway/delivery` is not in
 * tsconfig.base.json), and a relative import across projects breaks the module boundaries.
 */

/** Where a command writes: stdout and stderr by default, buffers in tests. */
export interface CliIo {
  write: (text: string) => void;
  error: (text: string) => void;
  /** All of stdin (`stack` reads its trace there); the process's stdin when absent. */
  read?: () => Promise<string>;
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
};

/** The command line as {@link readFlags} read it. */
export interface Flags<Value extends string, Switch extends string> {
  /** The last value given for each flag; absent when the flag was not given. */
  values: Partial<Record<Value, string>>;
  switches: Record<Switch, boolean>;
}

/**
 * Reads `--flag value`, `--flag=value` and switches; `--help`/`-h` anywhere asks for help.
 *
 * @throws {UsageError} `unknown argument "<arg>" for <command>` for anything else, and
 *   `--<flag> needs a value` when the value is missing, empty or the next flag.
 */
export function readFlags<Value extends string, Switch extends string>(
  argv: readonly string[],
  spec: { values: readonly Value[]; switches: readonly Switch[]; command: string },
): Flags<Value, Switch> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const flags: Flags<Value, Switch> = {
    values: {},
    switches: Object.fromEntries(spec.switches.map((s) => [s, false])) as Record<Switch, boolean>,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (spec.switches.includes(arg.slice(2) as Switch) && arg.startsWith('--')) {
      flags.switches[arg.slice(2) as Switch] = true;
      continue;
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1] as Value | undefined;
    if (!flag || !spec.values.includes(flag))
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)} for ${spec.command}: it takes ${[
          ...spec.values.map((v) => `--${v}`),
          ...spec.switches.map((s) => `--${s}`),
        ].join(', ')}`,
      );
    const inline = match?.[2];
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`--${flag} needs a value`);
    flags.values[flag] = value;
  }
  return flags;
}
