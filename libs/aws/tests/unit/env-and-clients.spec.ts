import {
  copySource,
  createS3Client,
  createSesV2Client,
  DEPRECATED_ENDPOINT_ENV,
  endpointOverride,
  LOCAL_ENDPOINT_ENV,
  MissingEnvironmentError,
  positiveIntEnv,
  requireEnv,
} from '../../src';

describe('environment helpers', () => {
  afterEach(() => {
    delete process.env.SLIPWAY_TEST_VALUE;
    delete process.env[LOCAL_ENDPOINT_ENV];
    delete process.env[`${LOCAL_ENDPOINT_ENV}_S3`];
    delete process.env[`${LOCAL_ENDPOINT_ENV}_SESV2`];
  });

  it('returns a set variable and names a missing one with where it comes from', () => {
    process.env.SLIPWAY_TEST_VALUE = 'x';
    expect(requireEnv('SLIPWAY_TEST_VALUE')).toBe('x');

    delete process.env.SLIPWAY_TEST_VALUE;
    expect(() => requireEnv('SLIPWAY_TEST_VALUE', 'is set by the media stack')).toThrow(
      new MissingEnvironmentError('SLIPWAY_TEST_VALUE', 'is missing: it is set by the media stack'),
    );
  });

  it('parses positive integers and explains bad ones', () => {
    expect(positiveIntEnv('SLIPWAY_TEST_VALUE', 7)).toBe(7);
    process.env.SLIPWAY_TEST_VALUE = '42';
    expect(positiveIntEnv('SLIPWAY_TEST_VALUE', 7)).toBe(42);
    process.env.SLIPWAY_TEST_VALUE = '-3';
    expect(() => positiveIntEnv('SLIPWAY_TEST_VALUE', 7)).toThrow(
      'is "-3": use a positive whole number',
    );
  });

  it('reads positive integers from an environment the caller passes', () => {
    process.env.SLIPWAY_TEST_VALUE = '42';
    expect(positiveIntEnv('SLIPWAY_TEST_VALUE', 7, { SLIPWAY_TEST_VALUE: '9' })).toBe(9);
    expect(positiveIntEnv('SLIPWAY_TEST_VALUE', 7, {})).toBe(7);
    expect(() => positiveIntEnv('SLIPWAY_TEST_VALUE', 7, { SLIPWAY_TEST_VALUE: 'x' })).toThrow(
      'is "x": use a positive whole number',
    );
  });

  it.each([
    ['nothing set', {}, undefined],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, 'http://127.0.0.1:1'],
    [
      'the service variable over the global one',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2' },
      'http://127.0.0.1:2',
    ],
    [
      'another service’s variable is not ours',
      { AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:3' },
      undefined,
    ],
    ['blank counts as unset', { AWS_ENDPOINT_URL: '  ' }, undefined],
    [
      'the standard name over the deprecated one',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', SLIPWAY_AWS_ENDPOINT: 'http://127.0.0.1:4' },
      'http://127.0.0.1:1',
    ],
  ])('S3 endpoint override: %s', (_case, env, expected) => {
    expect(endpointOverride('S3', env)).toBe(expected);
  });

  it('still honours SLIPWAY_AWS_ENDPOINT for one release, warning once with the new name', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

    expect(endpointOverride('SFN', { [DEPRECATED_ENDPOINT_ENV]: 'http://127.0.0.1:4' })).toBe(
      'http://127.0.0.1:4',
    );
    expect(endpointOverride('S3', { [DEPRECATED_ENDPOINT_ENV]: 'http://127.0.0.1:4' })).toBe(
      'http://127.0.0.1:4',
    );

    expect(warn.mock.calls).toEqual([
      [
        'SLIPWAY_AWS_ENDPOINT is deprecated and will be ignored from Slipway 0.3.0: set AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_SFN) to the same URL instead.',
        { type: 'DeprecationWarning', code: 'SLIPWAY_AWS_ENDPOINT' },
      ],
    ]);
  });

  it('points S3 at the local endpoint with path-style addressing and checksums only when required', async () => {
    process.env[`${LOCAL_ENDPOINT_ENV}_S3`] = 'http://127.0.0.1:4569';

    const client = createS3Client(undefined, { region: 'eu-west-1' });

    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4569);
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
  });

  it('leaves endpoint resolution to the SDK in AWS and wraps the client for tracing', () => {
    const capture = { captureClient: jest.fn(<T>(c: T) => c) };

    const client = createS3Client(capture, { region: 'eu-west-1' });

    expect(client.config.forcePathStyle).toBeFalsy();
    expect(capture.captureClient).toHaveBeenCalledWith(client);
  });
});

describe('copySource', () => {
  it.each([
    [
      'a space and =',
      'raw/lms/dt=2026-03-01/a b.csv',
      undefined,
      'b/raw/lms/dt%3D2026-03-01/a%20b.csv',
    ],
    [
      '? # + and a version',
      'uploads/x?y#z+w.jpg',
      'v 1',
      'b/uploads/x%3Fy%23z%2Bw.jpg?versionId=v%201',
    ],
    ['non-ASCII', 'uploads/été.jpg', undefined, 'b/uploads/%C3%A9t%C3%A9.jpg'],
    ['% and an empty segment', 'a//50%.csv', undefined, 'b/a//50%25.csv'],
  ])('URL-encodes each key segment (%s), keeping the slashes', (_name, key, version, expected) => {
    expect(copySource('b', key, version)).toBe(expected);
  });

  it("points SES v2 at its own variable (the sandbox's SES), not at the S3 server's", async () => {
    process.env[LOCAL_ENDPOINT_ENV] = 'http://127.0.0.1:4569';
    process.env[`${LOCAL_ENDPOINT_ENV}_SESV2`] = 'http://127.0.0.1:4570';

    const client = createSesV2Client(undefined, { region: 'eu-west-1' });

    const endpoint = await client.config.endpoint?.();
    expect([endpoint?.hostname, endpoint?.port]).toEqual(['127.0.0.1', 4570]);
  });
});
