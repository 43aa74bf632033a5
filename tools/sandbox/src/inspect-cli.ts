/** Entry point of `npm run media:inspect`; the command itself is `runInspect` in inspect.ts. */
import { runInspect } from './inspect';

runInspect(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(
      `media:inspect failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 2;
  });
