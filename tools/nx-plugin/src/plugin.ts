/**
 * Slipway's local Nx plugin: what makes a folder a project, and why.
 *
 * - `apps/<name>/lambda.manifest.json` makes a **Lambda** project. The manifest is the single
 *   source of a function's infrastructure, so its targets are inferred from it instead of being
 *   copied into every project.json: `manifest` (validate), `build` (esbuild for Node 22 on the
 *   manifest's architecture) and `package` (reproducible zip + sha256 + listing, source map beside the zip).
 * - `terraform/<...>/versions.tf` outside `examples/` and `.terraform/` makes a **Terraform**
 *   project (`tf-<folder>`): every governed module and plain HCL root declares its versions
 *   there. Targets: `fmt`, `validate` (module and each example), `governance`, `test` when the
 *   folder has `tests/*.tftest.hcl`, and an offline `plan` when it has `offline-plan.tfvars`.
 *
 * Dependencies (so `nx affected` follows infrastructure changes):
 * - a Terraform project → the project owning each local module `source = "../x"` it calls;
 * - the stacks project → every Lambda (it deploys them all) and every module named through
 *   `moduleSource('<name>')` in its sources;
 * - every Lambda → this plugin (its package executor shapes the zip).
 *
 * The `governance` target is not a graph edge to the engine (that would make every module
 * "affected" by any module change, through the engine's own tests): its cache inputs include the
 * engine's sources and governance/*.yaml, so `npm test` re-checks everything after a rule change,
 * and `nx affected -t governance` checks the modules a change touched.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import {
  createNodesFromFiles,
  DependencyType,
  type CreateDependencies,
  type CreateNodesV2,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';

/** Options accepted in nx.json (none yet: everything is derived from the files). */
export type SlipwayPluginOptions = Record<string, never>;

const PLUGIN_PROJECT = 'nx-plugin';
const STACKS_ROOT = 'terraform/stacks';
/** A Terraform root with this file gets an offline `plan` target using it for its variables. */
const OFFLINE_VAR_FILE = 'offline-plan.tfvars';

/** Nx project name of a Terraform folder: `tf-<folder name>`. */
export function terraformProjectName(root: string): string {
  return `tf-${basename(root)}`;
}

/** Targets of a Lambda project, derived from its manifest. */
export function lambdaTargets(root: string, name: string, manifest: Record<string, unknown>) {
  const outputDir = `dist/apps/${name}`;
  const bundleDir = `${outputDir}/bundle`;
  const runtimeDependencies = Array.isArray(manifest.runtimeDependencies)
    ? (manifest.runtimeDependencies as { name?: unknown }[]).map((d) => String(d.name))
    : [];
  const targets: Record<string, TargetConfiguration> = {
    manifest: {
      executor: '@slipway/nx-plugin:manifest',
      cache: true,
      inputs: [`{projectRoot}/lambda.manifest.json`, '^production'],
      options: { manifest: `${root}/lambda.manifest.json` },
      metadata: {
        description:
          'Validate the Lambda manifest (fails with the field, value and allowed range).',
      },
    },
    build: {
      executor: '@nx/esbuild:esbuild',
      dependsOn: ['manifest'],
      cache: true,
      inputs: ['production', '^production'],
      outputs: ['{options.outputPath}'],
      options: {
        main: `${root}/src/handler.ts`,
        outputPath: bundleDir,
        tsConfig: `${root}/tsconfig.app.json`,
        platform: 'node',
        // Node 22 is the Lambda runtime (nodejs22.x); esbuild lowers nothing it supports.
        target: 'node22',
        format: ['cjs'],
        bundle: true,
        // Bundle every npm dependency (AWS SDK included): versions come from the lockfile,
        // not from whatever the Lambda runtime ships. Runtime dependencies with native
        // binaries stay external and are installed for the Lambda's platform by `package`.
        thirdParty: true,
        external: runtimeDependencies,
        minify: true,
        // The map is written beside handler.js without a `//# sourceMappingURL` comment:
        // `package` keeps it out of the zip (it was ~75 % of a zip, issue 17) and writes it
        // beside the zip as <name>.js.map; `npm run slipway -- stack` decodes traces with it.
        sourcemap: 'external',
        generatePackageJson: false,
        // Type checking is the `typecheck` target's job; the bundle does not wait for it.
        skipTypeCheck: true,
        // bundle/meta.json: which source files went into the bundle. `package` moves it beside
        // the zip (never into it), where sandbox:integration checks that no dev code is bundled.
        metafile: true,
        esbuildOptions: {
          legalComments: 'none',
          mainFields: ['module', 'main'],
          outExtension: { '.js': '.js' },
          logLevel: 'warning',
        },
      },
      metadata: { description: 'Bundle the handler with esbuild for Node 22.' },
    },
    typecheck: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['default', '^production'],
      options: { command: `tsc -p ${root}/tsconfig.json --noEmit` },
    },
    package: {
      executor: '@slipway/nx-plugin:package',
      dependsOn: ['build'],
      cache: true,
      inputs: ['production', '^production', '{workspaceRoot}/package-lock.json'],
      outputs: [
        `{workspaceRoot}/${outputDir}/${name}.zip`,
        `{workspaceRoot}/${outputDir}/${name}.zip.sha256`,
        `{workspaceRoot}/${outputDir}/${name}.files.json`,
        `{workspaceRoot}/${outputDir}/${name}.meta.json`,
        `{workspaceRoot}/${outputDir}/${name}.js.map`,
      ],
      options: { manifest: `${root}/lambda.manifest.json`, bundleDir, outputDir },
      metadata: {
        description:
          'Zip the bundle reproducibly (without its source map); write the base64 sha256, a file listing, the esbuild metafile and the source map beside it.',
      },
    },
  };
  return targets;
}

/** Targets of a Terraform project (module or root). */
export function terraformTargets(
  root: string,
  examples: string[],
  hasTests: boolean,
  offlineVarFile?: string,
) {
  const tfInputs = [
    '{projectRoot}/**/*.tf',
    '{projectRoot}/**/*.tftest.hcl',
    '{projectRoot}/**/*.tfvars',
  ];
  const init = 'terraform init -backend=false -input=false -no-color > /dev/null';
  const targets: Record<string, TargetConfiguration> = {
    fmt: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: tfInputs,
      options: { cwd: root, command: 'terraform fmt -check -recursive -diff -no-color' },
      metadata: {
        description: 'Check formatting (terraform fmt -check); fix with terraform fmt -recursive.',
      },
    },
    validate: {
      executor: 'nx:run-commands',
      cache: true,
      // Module sources are part of what is validated: include the called modules' files.
      inputs: [...tfInputs, '^terraform', { runtime: 'terraform version -json' }],
      options: {
        cwd: root,
        parallel: false,
        commands: ['.', ...examples].map(
          (dir) => `cd ${dir} && ${init} && terraform validate -no-color`,
        ),
      },
      metadata: {
        description: 'terraform init -backend=false and validate, for the module and each example.',
      },
    },
  };
  targets.governance = governanceTarget(root, tfInputs);
  if (hasTests) {
    targets.test = {
      executor: 'nx:run-commands',
      cache: true,
      inputs: [...tfInputs, '^terraform', { runtime: 'terraform version -json' }],
      options: { cwd: root, command: `${init} && terraform test -no-color` },
      metadata: { description: 'terraform test with mock providers (no cloud access).' },
    };
  }
  if (offlineVarFile) {
    const name = basename(root);
    targets.plan = {
      executor: 'nx:run-commands',
      cache: true,
      inputs: [...tfInputs, '^terraform', { runtime: 'terraform version -json' }],
      outputs: [`{workspaceRoot}/dist/terraform/plans/${name}.json`],
      options: {
        command:
          `tsx tools/terraform/src/plan-root.ts --dir ${root} --out dist/terraform/plans/${name}.json ` +
          `--var-file ${offlineVarFile}`,
      },
      metadata: {
        description: `Offline plan of this root with ${offlineVarFile} (placeholder values).`,
      },
    };
  }
  return targets;
}

/**
 * `governance`: the engine (tools/governance) over this folder, failing on any finding not
 * waived in governance/waivers.yaml. Modules are checked against the baseline profile (callers
 * raise the bar per environment: the stacks target checks prod plans as strict); roots such as
 * terraform/bootstrap run as the `shared` environment of governance/config.yaml. Cached on the
 * folder's files, the modules it calls, the waivers and config, and the engine's own sources.
 */
export function governanceTarget(root: string, tfInputs: string[]): TargetConfiguration {
  const scope = root.includes('/modules/') ? '--profile baseline' : '--environment shared';
  return {
    executor: 'nx:run-commands',
    cache: true,
    inputs: [
      ...tfInputs,
      '^terraform',
      '{workspaceRoot}/governance/*.yaml',
      '{workspaceRoot}/tools/governance/src/**/*.ts',
      '{workspaceRoot}/libs/manifest/src/**/*.ts',
      { externalDependencies: ['@cdktn/hcl2json', 'yaml'] },
    ],
    options: {
      command:
        `tsx tools/governance/src/cli.ts scan --hcl ${root} ${scope} ` +
        '--waivers governance/waivers.yaml --fail-on low',
    },
    metadata: {
      description:
        'IaC governance of this folder (tools/governance); any finding not waived in governance/waivers.yaml fails.',
    },
  };
}

function listDirs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A broken manifest must not break the project graph: the `manifest` target reports it.
    return {};
  }
}

export const createNodesV2: CreateNodesV2<SlipwayPluginOptions> = [
  '{apps/*/lambda.manifest.json,terraform/**/versions.tf}',
  (files, options, context) =>
    createNodesFromFiles(
      (file, _options, ctx) => {
        const root = dirname(file);
        if (file.endsWith('lambda.manifest.json')) {
          const name = basename(root);
          const manifest = readJson(join(ctx.workspaceRoot, file));
          return {
            projects: {
              [root]: {
                name,
                projectType: 'application',
                tags: [
                  'type:lambda',
                  `scope:${typeof manifest.domain === 'string' ? manifest.domain : 'unknown'}`,
                ],
                targets: lambdaTargets(root, name, manifest),
                implicitDependencies: [PLUGIN_PROJECT],
              },
            },
          };
        }
        if (/(^|\/)(examples|\.terraform)(\/|$)/.test(root) || root.startsWith(STACKS_ROOT))
          return {};
        const abs = join(ctx.workspaceRoot, root);
        const examples = listDirs(join(abs, 'examples')).map((e) => `examples/${e}`);
        const hasTests =
          existsSync(join(abs, 'tests')) &&
          readdirSync(join(abs, 'tests')).some((f) => f.endsWith('.tftest.hcl'));
        return {
          projects: {
            [root]: {
              name: terraformProjectName(root),
              projectType: 'library',
              tags: [
                'type:terraform',
                root.includes('/modules/') ? 'scope:terraform-module' : 'scope:terraform-root',
              ],
              namedInputs: { terraform: ['{projectRoot}/**/*.tf'] },
              targets: terraformTargets(
                root,
                examples,
                hasTests,
                existsSync(join(abs, OFFLINE_VAR_FILE)) ? OFFLINE_VAR_FILE : undefined,
              ),
            },
          },
        };
      },
      files,
      options ?? {},
      context,
    ),
];

const MODULE_SOURCE = /\bsource\s*=\s*"(\.{1,2}\/[^"]+)"/g;
const STACK_MODULE_REF = /moduleSource\(\s*['"]([a-z0-9-]+)['"]/g;

export const createDependencies: CreateDependencies<SlipwayPluginOptions> = (_options, context) => {
  const roots = Object.entries(context.projects).map(([name, p]) => ({ name, root: p.root }));
  const owner = (path: string) =>
    roots
      .filter((r) => path === r.root || path.startsWith(`${r.root}/`))
      .sort((a, b) => b.root.length - a.root.length)[0];
  const deps: RawProjectGraphDependency[] = [];

  for (const [project, files] of Object.entries(context.fileMap.projectFileMap)) {
    const root = context.projects[project]?.root;
    if (!root) continue;
    for (const { file } of files) {
      if (root.startsWith('terraform/') && file.endsWith('.tf') && !file.includes('/examples/')) {
        const text = readFileSync(join(context.workspaceRoot, file), 'utf8');
        for (const match of text.matchAll(MODULE_SOURCE)) {
          const target = owner(posix.normalize(posix.join(posix.dirname(file), match[1])));
          if (target && target.name !== project) {
            deps.push({
              source: project,
              target: target.name,
              sourceFile: file,
              type: DependencyType.static,
            });
          }
        }
      }
      if (root === STACKS_ROOT && file.endsWith('.ts') && !file.includes('/tests/')) {
        const text = readFileSync(join(context.workspaceRoot, file), 'utf8');
        for (const match of text.matchAll(STACK_MODULE_REF)) {
          const target = roots.find((r) => r.root === `terraform/modules/${match[1]}`);
          if (target)
            deps.push({
              source: project,
              target: target.name,
              sourceFile: file,
              type: DependencyType.static,
            });
        }
      }
    }
  }

  const stacks = roots.find((r) => r.root === STACKS_ROOT);
  if (stacks) {
    for (const r of roots) {
      if (existsSync(join(context.workspaceRoot, r.root, 'lambda.manifest.json'))) {
        deps.push({ source: stacks.name, target: r.name, type: DependencyType.implicit });
      }
    }
  }
  return deps;
};
