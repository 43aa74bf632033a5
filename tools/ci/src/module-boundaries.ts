import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** One ESLint message about a linted text (as ESLint's Node API reports it). */
export interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

// ESLint loads the flat config (eslint.config.mjs) with a dynamic import(), which Jest's
// CommonJS runtime refuses without --experimental-vm-modules; a plain node child runs the same
// Node API with nothing in between.
const SCRIPT = `
import { ESLint } from 'eslint';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { code, filePath } = JSON.parse(input);
const [result] = await new ESLint({ cwd: process.cwd() }).lintText(code, { filePath });
process.stdout.write(JSON.stringify(result.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }))));
`;

/**
 * Lints `code` as if it were the file `filePath` (relative to `root`) with the repository's own
 * ESLint config and Nx project graph, without writing the file: ESLint's `lintText` takes the
 * path only to pick the config and, for `@nx/enforce-module-boundaries`, the project the file
 * belongs to. Used to prove that a planted import breaks the architecture rules.
 *
 * @example
 * await lintAs(root, 'apps/media-probe/src/planted.ts', "import '@slipway/samples';");
 */
export function lintAs(root: string, filePath: string, code: string): Promise<LintMessage[]> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: root, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`ESLint failed on ${filePath}: ${stderr || error.message}`));
        else resolvePromise(JSON.parse(stdout) as LintMessage[]);
      },
    );
    child.stdin?.end(JSON.stringify({ code, filePath: resolve(root, filePath) }));
  });
}
