/**
 * A throw-away workspace for the stacks' unit tests: the real environments.json, the manifests
 * and packages every flow references, and one Lambda (`thumbs`, media) the test may shape; and
 * its synthesis, read back stack by stack. Removed after the suite that made it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';

/** The checkout's root. */
export const REPO = join(__dirname, '../../../..');

/** Every workspace a test made, removed after the suite whatever its outcome. */
const workspaces: string[] = [];
afterAll(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
});

/** A workspace with the real environments.json and one Lambda whose manifest the test may break. */
export function workspace(manifest: Record<string, unknown> = {}, withZip = true): string {
  const root = mkdtempSync(join(tmpdir(), 'stacks-spec-'));
  workspaces.push(root);
  mkdirSync(join(root, 'terraform/stacks'), { recursive: true });
  cpSync(
    join(REPO, 'terraform/stacks/environments.json'),
    join(root, 'terraform/stacks/environments.json'),
  );
  mkdirSync(join(root, 'apps/thumbs'), { recursive: true });
  writeFileSync(
    join(root, 'apps/thumbs/lambda.manifest.json'),
    JSON.stringify({
      name: 'thumbs',
      domain: 'media',
      description: 'Makes thumbnails.',
      memory: 1024,
      timeout: 60,
      permissions: ['read media:uploads/*', 'write media:derived/*'],
      ...manifest,
    }),
  );
  // The media and etl flows reference these functions: give each a manifest and a package.
  for (const name of [
    'media-validate',
    'media-thumbnails',
    'media-metadata',
    'media-probe',
    'media-poster',
    'media-finalize',
    'media-quarantine',
    'etl-list-partitions',
    'etl-transform',
    'etl-aggregate',
    'etl-publish',
    'etl-reconcile',
  ]) {
    mkdirSync(join(root, 'apps', name), { recursive: true });
    writeFileSync(
      join(root, 'apps', name, 'lambda.manifest.json'),
      JSON.stringify({
        name,
        domain: name.split('-')[0],
        description: 'x',
        memory: 256,
        timeout: 10,
        ...(name === 'etl-transform'
          ? {
              alarms: {
                ratios: [
                  {
                    name: 'rejected-rows',
                    numerator: 'RowsRejected',
                    denominator: 'RowsInput',
                    threshold: 0.05,
                  },
                ],
              },
            }
          : {}),
      }),
    );
    mkdirSync(join(root, 'dist/apps', name), { recursive: true });
    writeFileSync(join(root, 'dist/apps', name, `${name}.zip`), 'zip');
    writeFileSync(
      join(root, 'dist/apps', name, `${name}.zip.sha256`),
      'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
    );
  }
  if (withZip) {
    mkdirSync(join(root, 'dist/apps/thumbs'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/thumbs/thumbs.zip'), 'zip');
    writeFileSync(
      join(root, 'dist/apps/thumbs/thumbs.zip.sha256'),
      'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
    );
  }
  return root;
}

// Synthesized Terraform JSON is deeply dynamic; the assertions below pin its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk.tf.json has no static type
export type TfJson = Record<string, any>;

export function synth(root: string): { stacks: string[]; read: (stack: string) => TfJson } {
  const outdir = join(root, 'out');
  const { app, stacks } = buildApp(root, outdir);
  app.synth();
  return {
    stacks,
    read: (stack) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')),
  };
}
