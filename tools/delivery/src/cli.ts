import { pathToFileURL } from 'node:url';
import { DeliveryError } from './errors';

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
