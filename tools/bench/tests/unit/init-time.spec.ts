import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  lambdaEnvironment,
  linkSourceMap,
  parseProbeOutput,
  PROBE_MARKER,
} from '../../src/init-time';
import type { BenchTarget } from '../../src/lambdas';

const target: BenchTarget = {
  name: 'media-validate',
  bundleFile: '/ws/dist/apps/media-validate/bundle/handler.js',
  zipFile: '/ws/dist/apps/media-validate/media-validate.zip',
  environment: { MAX_IMAGE_BYTES: '52428800' },
};

describe('parseProbeOutput', () => {
  it('finds the result line among the bundle’s own output and converts ns to ms', () => {
    const stdout = `{"level":"WARN","message":"init noise"}\n${PROBE_MARKER}{"initNs":"27150000","connects":0}\n`;
    expect(parseProbeOutput(stdout)).toEqual({ initMs: 27.15, connects: 0 });
  });

  it('takes the last result line when the bundle printed a look-alike first', () => {
    const stdout = `${PROBE_MARKER}{"initNs":"1","connects":5}\n${PROBE_MARKER}{"initNs":"2000000","connects":0}`;
    expect(parseProbeOutput(stdout)).toEqual({ initMs: 2, connects: 0 });
  });

  it('fails with what the child printed when there is no result line', () => {
    expect(() => parseProbeOutput('Segmentation fault')).toThrow(
      /no result line[\s\S]*Segmentation fault/,
    );
  });
});

describe('lambdaEnvironment', () => {
  it('sets the Lambda runtime variables, the service name and the manifest environment', () => {
    const env = lambdaEnvironment(target, 'plain', '/usr/bin');

    expect(env).toMatchObject({
      PATH: '/usr/bin',
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'slipway-bench-media-validate',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: '/ws/dist/apps/media-validate/bundle',
      POWERTOOLS_SERVICE_NAME: 'media-validate',
      MAX_IMAGE_BYTES: '52428800',
    });
  });

  it('enables source maps only in the source-maps mode (the stacks set no NODE_OPTIONS since issue 17)', () => {
    expect(lambdaEnvironment(target, 'plain', undefined).NODE_OPTIONS).toBeUndefined();
    expect(lambdaEnvironment(target, 'source-maps', undefined).NODE_OPTIONS).toBe(
      '--enable-source-maps',
    );
  });

  it('carries no credentials or variables from the developer’s shell', () => {
    process.env.AWS_PROFILE = 'developer';
    try {
      const env = lambdaEnvironment(target, 'plain', undefined);
      expect(
        Object.keys(env).filter((k) => /PROFILE|SECRET|ACCESS_KEY|SESSION_TOKEN/.test(k)),
      ).toEqual([]);
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });
});

describe('linkSourceMap', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-link-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  /** A bundle folder as the build leaves it: handler.js without a comment, its map beside it. */
  const built = (withMap: boolean): BenchTarget => {
    const dir = mkdtempSync(join(scratch, 'bundle-'));
    writeFileSync(join(dir, 'handler.js'), 'exports.handler=async()=>1;\n');
    if (withMap) writeFileSync(join(dir, 'handler.js.map'), '{"version":3}');
    return { ...target, bundleFile: join(dir, 'handler.js') };
  };

  it('copies the bundle with a sourceMappingURL comment and its map beside it, leaving the original alone', () => {
    // Prepare
    const original = built(true);
    const linkDir = join(scratch, 'linked');
    mkdirSync(linkDir);

    // Act
    const linked = linkSourceMap(original, linkDir);

    // Assess
    expect(linked).toEqual({ ...original, bundleFile: join(linkDir, 'media-validate/handler.js') });
    expect(readFileSync(linked.bundleFile, 'utf8')).toBe(
      'exports.handler=async()=>1;\n//# sourceMappingURL=handler.js.map\n',
    );
    expect(readFileSync(join(linkDir, 'media-validate/handler.js.map'), 'utf8')).toBe(
      '{"version":3}',
    );
    expect(readFileSync(original.bundleFile, 'utf8')).toBe('exports.handler=async()=>1;\n');
  });

  it('names the missing map and how to get it', () => {
    const original = built(false);

    expect(() => linkSourceMap(original, scratch)).toThrow(
      `${original.bundleFile}.map is missing: the source-maps mode needs the map esbuild writes beside the bundle (the Lambda build's sourcemap 'external'); run npx nx run-many -t package.`,
    );
  });
});
