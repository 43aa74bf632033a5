/**
 * No Lambda bundle contains dev code (sample generators, the bench, media:inspect, the
 * MediaConvert stand-in, anything under tools/): read from the esbuild metafile each packaged
 * Lambda has beside its zip. This suite runs after `package` of every Lambda (the target's
 * dependsOn), so it checks the very bundles the sandbox runs and Terraform deploys. And no
 * bundle carries a package twice (two versions resolved in the lock file).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  devInputsOf,
  duplicatePackagesOf,
  packageFiles,
  type BundleMetafile,
} from '@slipway/nx-plugin';

const REPO = join(__dirname, '../../../..');
const LAMBDAS = readdirSync(join(REPO, 'apps'))
  .filter((name) => existsSync(join(REPO, 'apps', name, 'lambda.manifest.json')))
  .sort();

describe('packaged Lambda bundles', () => {
  // An empty table (no app found) fails: jest refuses `.each` without rows.
  it.each(LAMBDAS)('%s: its metafile lists its handler and no dev-code input', (name) => {
    // Prepare
    const file = join(REPO, 'dist/apps', name, packageFiles(name).metafile);
    const metafile = JSON.parse(readFileSync(file, 'utf8')) as BundleMetafile;

    // Act
    const found = devInputsOf(metafile);

    // Assess: the metafile is this Lambda's (its handler was read), and nothing in it is dev code.
    expect(Object.keys(metafile.inputs)).toContain(`apps/${name}/src/handler.ts`);
    expect(found).toEqual([]);
  });
});

/**
 * The one known second copy: @aws-lambda-powertools/idempotency and parameters 2.35.0 (their
 * latest releases) pin @aws-lambda-powertools/commons 2.35.0 while logger, tracer and metrics
 * are on 2.36.0 (about 5 KB more per copy). It goes when those two release 2.36.
 */
const LAGGING = ['idempotency', 'parameters'];

describe('packaged Lambda bundles carry one copy of each package', () => {
  it.each(LAMBDAS)('%s', (name) => {
    const file = join(REPO, 'dist/apps', name, packageFiles(name).metafile);
    const metafile = JSON.parse(readFileSync(file, 'utf8')) as BundleMetafile;
    const lagging = LAGGING.filter((p) =>
      Object.keys(metafile.inputs).some((i) =>
        i.startsWith(
          `node_modules/@aws-lambda-powertools/${p}/node_modules/@aws-lambda-powertools/commons/`,
        ),
      ),
    );
    const commons = {
      name: '@aws-lambda-powertools/commons',
      folders: [
        'node_modules/@aws-lambda-powertools/commons',
        ...lagging.map(
          (p) =>
            `node_modules/@aws-lambda-powertools/${p}/node_modules/@aws-lambda-powertools/commons`,
        ),
      ],
    };

    expect(duplicatePackagesOf(metafile)).toEqual(lagging.length ? [commons] : []);
  });
});
