import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';

// Presigning is local (no S3 request): the test checks what the browser receives.

const BUCKET = 'slipway-dev-media-111111111111';
const USER = '5f1c2d3e-0000-4000-8000-00000000abcd';
const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key',
  BUCKET_MEDIA: BUCKET,
};
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-edge-uploads' } as Context;
const fixture = () =>
  JSON.parse(readFileSync(join(__dirname, '../events/api-gateway/post-uploads.json'), 'utf8'));
const withBody = (body: unknown) => ({ ...fixture(), body: JSON.stringify(body) });

type Handler = (typeof import('../../src/handler'))['handler'];
/** A new execution environment: the handler reads its configuration once per environment. */
const loadHandler = (): Handler => {
  jest.resetModules();
  return jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
};

describe('edge-uploads handler', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, ENV);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('answers a presigned POST for uploads/<userId>/<uuid>.jpg with the exact type and SSE', async () => {
    const result = await loadHandler()(fixture(), context);

    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.url).toBe(`https://${BUCKET}.s3.eu-west-1.amazonaws.com/`);
    expect(body.key).toMatch(new RegExp(`^uploads/${USER}/[0-9a-f-]{36}\\.jpg$`));
    expect(body.fields).toMatchObject({
      key: body.key,
      bucket: BUCKET,
      'Content-Type': 'image/jpeg',
      'x-amz-server-side-encryption': 'AES256',
    });
    const policy = JSON.parse(Buffer.from(body.fields.Policy, 'base64').toString('utf8'));
    expect(policy.expiration).toBe(body.expiresAt);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 2097152]);
  });

  it('refuses a type outside the upload policy with 400 and the allowed list', async () => {
    const result = await loadHandler()(
      withBody({ filename: 'notes.pdf', contentType: 'application/pdf', size: 1000 }),
      context,
    );

    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body);
    expect(body.code).toBe('TYPE_NOT_ALLOWED');
    expect(body.allowed).toEqual([
      'image/jpeg (up to 50 MiB)',
      'image/png (up to 50 MiB)',
      'image/webp (up to 50 MiB)',
      'image/heif (up to 50 MiB)',
      'image/avif (up to 50 MiB)',
      'video/mp4 (up to 5 GiB)',
      'video/quicktime (up to 5 GiB)',
      'video/3gpp (up to 5 GiB)',
      'video/3gpp2 (up to 5 GiB)',
      'video/x-m4v (up to 5 GiB)',
    ]);
  });

  it('refuses a body failing its schema naming the field', async () => {
    const result = await loadHandler()(
      withBody({ filename: 'a.jpg', contentType: 'image/jpeg', size: -1 }),
      context,
    );

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(JSON.parse(result.body).message).toMatch(/^size: /);
  });

  it("refuses a body over the manifest's maxBodyBytes (4096) with 413, before reading any configuration", async () => {
    delete process.env.BUCKET_MEDIA; // nothing past the limit check may run
    const padded = {
      filename: 'a.jpg',
      contentType: 'image/jpeg',
      size: 1000,
      pad: 'x'.repeat(4096),
    };
    const result = await loadHandler()(withBody(padded), context);

    expect(result).toEqual({
      statusCode: 413,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"PAYLOAD_TOO_LARGE","message":"The body is larger than this route accepts."}',
    });
  });

  it('fails naming the variable when BUCKET_MEDIA is missing', async () => {
    delete process.env.BUCKET_MEDIA;

    await expect(loadHandler()(fixture(), context)).rejects.toThrow(
      'BUCKET_MEDIA is missing: the stacks set it from the manifest\'s "write media:uploads/*" permission.',
    );
  });
});
