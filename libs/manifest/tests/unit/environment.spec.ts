import { lambdaEnvironment, parseManifest } from '../../src';

describe('lambdaEnvironment', () => {
  it('adds bucket names for the buckets the permissions name, and the observability settings', () => {
    const manifest = parseManifest(
      {
        name: 'thumbs',
        domain: 'media',
        description: 'x',
        memory: 512,
        timeout: 30,
        environment: { MAX_IMAGE_BYTES: '10' },
        permissions: ['read media:uploads/*', 'write media:derived/*', 'read param:media/key'],
      },
      'apps/thumbs/lambda.manifest.json',
    );

    expect(
      lambdaEnvironment(manifest, {
        environment: 'dev',
        buckets: { media: 'm-bucket', data: 'd-bucket' },
      }),
    ).toEqual({
      MAX_IMAGE_BYTES: '10',
      BUCKET_MEDIA: 'm-bucket',
      POWERTOOLS_SERVICE_NAME: 'thumbs',
      POWERTOOLS_METRICS_NAMESPACE: 'Slipway/media',
      SLIPWAY_ENVIRONMENT: 'dev',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });
});
