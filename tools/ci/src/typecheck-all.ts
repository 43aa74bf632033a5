/**
 * `npm test`'s type check: every project's `tsconfig.json` (the file its `typecheck` target
 * passes to `tsc -p`) checked as ONE TypeScript program instead of one `tsc` per project.
 *
 * Why: each project's own `tsc --noEmit` loads and checks the same ~220,000 lines of
 * declarations (AWS SDK, Powertools, Node, Jest) and the shared libs again: 9.1 s for one
 * Lambda (apps/jobs-welcome-email, --extendedDiagnostics, idle 2-core machine), 653 s of task
 * time for the 37 projects in an Nx profile of a full run (a busy machine), against 18-23 s for
 * this one program of all 587 files on the idle machine. It is the same check when every
 * project compiles with the same options, which this script verifies first: a tsconfig whose
 * options differ from the others is refused with its name, so it cannot be checked with
 * options that are not its own. The per-project `typecheck` targets stay for
 * `nx affected` (CI's reusable-checks workflow) and for a developer's one project.
 *
 *   npx tsx tools/ci/src/typecheck-all.ts     exit 0 when every file type-checks, 1 otherwise
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../../..');
/** Where projects live (see docs/architecture.md): each folder holding a project.json. */
const PROJECT_FOLDERS = ['apps', 'libs', 'tools', 'terraform'];

/** The tsconfig.json of every project that has one, sorted. */
export function projectTsconfigs(workspace: string): string[] {
  return PROJECT_FOLDERS.flatMap((folder) =>
    existsSync(join(workspace, folder))
      ? readdirSync(join(workspace, folder), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(workspace, folder, d.name, 'tsconfig.json'))
          .filter((file) => existsSync(file))
      : [],
  ).sort();
}

function parse(file: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    file,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`${file}: cannot be read as a tsconfig.`);
  return parsed;
}

/** The options as they decide type checking (without where the config file itself is). */
const optionsKey = (options: ts.CompilerOptions) =>
  JSON.stringify({ ...options, configFilePath: undefined });

function main(): void {
  const started = Date.now();
  const configs = projectTsconfigs(root).map((file) => ({ file, parsed: parse(file) }));
  const problems = configs.flatMap((c) => c.parsed.errors);
  const [first] = configs;
  if (!first) throw new Error(`No project tsconfig.json under ${PROJECT_FOLDERS.join(', ')}.`);
  const differing = configs.filter(
    (c) => optionsKey(c.parsed.options) !== optionsKey(first.parsed.options),
  );
  if (differing.length) {
    console.error(
      `These tsconfig.json files compile with options other than ${relative(root, first.file)}'s, so one program cannot check them: ${differing.map((c) => relative(root, c.file)).join(', ')}. Align their compilerOptions (tsconfig.base.json), or check them with their own typecheck target.`,
    );
    process.exit(1);
  }
  const files = [...new Set(configs.flatMap((c) => c.parsed.fileNames))].sort();
  const program = ts.createProgram({ rootNames: files, options: first.parsed.options });
  const diagnostics = [...problems, ...ts.getPreEmitDiagnostics(program)];
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (diagnostics.length) {
    console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
    console.error(
      `typecheck: ${diagnostics.length} error(s) in ${files.length} files of ${configs.length} projects (${seconds} s)`,
    );
    process.exit(1);
  }
  console.log(
    `typecheck: ${files.length} files of ${configs.length} projects, no errors (${seconds} s)`,
  );
}

if (require.main === module) main();
