import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, CreateNodesContextV2 } from '@nx/devkit';
import { createDependencies, createNodesV2 } from '../../src/plugin';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(join(tmpdir(), 'plugin-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tiny workspace on disk: one Lambda, two modules (one calling the other), the stacks. */
function workspace(): string {
  const root = mkdtempSync(join(scratch, 'plugin-spec-'));
  const files: Record<string, string> = {
    'apps/img-thumbs/lambda.manifest.json': JSON.stringify({
      name: 'img-thumbs',
      domain: 'media',
      runtimeDependencies: [{ name: 'sharp', version: '0.34.5' }],
    }),
    'terraform/modules/lambda-function/versions.tf': 'terraform {}\n',
    'terraform/modules/lambda-function/main.tf': 'module "dlq" {\n  source = "../queue"\n}\n',
    'terraform/modules/lambda-function/tests/defaults.tftest.hcl': 'run "x" {}\n',
    'terraform/modules/lambda-function/examples/basic/versions.tf': 'terraform {}\n',
    'terraform/modules/queue/versions.tf': 'terraform {}\n',
    'terraform/stacks/src/domain-stack.ts': "source: moduleSource('lambda-function', id),\n",
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

async function inferred(root: string, files: string[]) {
  const context: CreateNodesContextV2 = { workspaceRoot: root, nxJsonConfiguration: {} };
  const results = await createNodesV2[1](files, {}, context);
  return Object.assign({}, ...results.map(([, r]) => r.projects ?? {}));
}

describe('slipway nx plugin', () => {
  it('infers a Lambda project with manifest, build and package targets from its manifest', async () => {
    const root = workspace();

    const projects = await inferred(root, ['apps/img-thumbs/lambda.manifest.json']);

    const lambda = projects['apps/img-thumbs'];
    expect(lambda.name).toBe('img-thumbs');
    expect(lambda.tags).toEqual(['type:lambda', 'scope:media']);
    expect(Object.keys(lambda.targets)).toEqual(['manifest', 'build', 'typecheck', 'package']);
    expect(lambda.targets.build.dependsOn).toEqual(['manifest']);
    expect(lambda.targets.build.options).toMatchObject({
      platform: 'node',
      target: 'node22',
      external: ['sharp'],
    });
    expect(lambda.targets.package.dependsOn).toEqual(['build']);
    expect(lambda.targets.build.options.sourcemap).toBe('external');
    expect(lambda.targets.package.outputs).toEqual([
      '{workspaceRoot}/dist/apps/img-thumbs/img-thumbs.zip',
      '{workspaceRoot}/dist/apps/img-thumbs/img-thumbs.zip.sha256',
      '{workspaceRoot}/dist/apps/img-thumbs/img-thumbs.files.json',
      '{workspaceRoot}/dist/apps/img-thumbs/img-thumbs.meta.json',
      '{workspaceRoot}/dist/apps/img-thumbs/img-thumbs.js.map',
    ]);
  });

  it('infers Terraform projects with fmt, validate (module + examples), governance and test, skipping examples', async () => {
    const root = workspace();

    const projects = await inferred(root, [
      'terraform/modules/lambda-function/versions.tf',
      'terraform/modules/lambda-function/examples/basic/versions.tf',
      'terraform/modules/queue/versions.tf',
    ]);

    expect(Object.keys(projects).sort()).toEqual([
      'terraform/modules/lambda-function',
      'terraform/modules/queue',
    ]);
    const fn = projects['terraform/modules/lambda-function'];
    expect(fn.name).toBe('tf-lambda-function');
    expect(Object.keys(fn.targets)).toEqual(['fmt', 'validate', 'governance', 'test']);
    expect(fn.targets.validate.options.commands).toHaveLength(2);
    expect(fn.targets.validate.options.commands[1]).toContain('cd examples/basic');
    expect(fn.targets.governance.options.command).toBe(
      'tsx tools/governance/src/cli.ts scan --hcl terraform/modules/lambda-function --profile baseline --waivers governance/waivers.yaml --fail-on low',
    );
    expect(Object.keys(projects['terraform/modules/queue'].targets)).toEqual([
      'fmt',
      'validate',
      'governance',
    ]);
  });

  it('links module calls, and the stacks to every Lambda and every module they name', async () => {
    const root = workspace();
    const projects = {
      'img-thumbs': { root: 'apps/img-thumbs' },
      'tf-lambda-function': { root: 'terraform/modules/lambda-function' },
      'tf-queue': { root: 'terraform/modules/queue' },
      stacks: { root: 'terraform/stacks' },
    };
    const fileMap = {
      'tf-lambda-function': [{ file: 'terraform/modules/lambda-function/main.tf', hash: '1' }],
      stacks: [{ file: 'terraform/stacks/src/domain-stack.ts', hash: '2' }],
    };
    const context = {
      workspaceRoot: root,
      projects,
      fileMap: { projectFileMap: fileMap, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: {}, nonProjectFiles: [] },
      externalNodes: {},
      nxJsonConfiguration: {},
    } as unknown as CreateDependenciesContext;

    const deps = await createDependencies({}, context);

    expect(deps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'tf-lambda-function',
          target: 'tf-queue',
          type: 'static',
        }),
        expect.objectContaining({ source: 'stacks', target: 'tf-lambda-function', type: 'static' }),
        expect.objectContaining({ source: 'stacks', target: 'img-thumbs', type: 'implicit' }),
      ]),
    );
    expect(deps).toHaveLength(3);
  });
});
