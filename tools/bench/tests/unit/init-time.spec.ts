import { describe, expect, it } from '@jest/globals';
import { lambdaEnvironment, parseProbeOutput, PROBE_MARKER } from '../../src/init-time';
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

  it('enables source maps only in the source-maps mode, as the stacks deploy', () => {
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
