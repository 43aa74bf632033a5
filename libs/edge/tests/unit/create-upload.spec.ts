import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type ApiGatewayProxyEvent,
  ApiGatewayProxyEventSchema,
  CreateUploadResponseSchema,
} from '@slipway/events';
import { DEFAULT_UPLOAD_POLICY } from '@slipway/media';
import { createUpload, type CreateUploadDependencies, EdgeConfigurationError } from '../../src';

// A real S3 client with static credentials: createPresignedPost signs locally, so nothing
// leaves the machine, and the test checks the signature as S3 would.

const NOW = new Date('2026-12-01T10:00:00.000Z');
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const USER = '5f1c2d3e-0000-4000-8000-00000000abcd';
const UPLOAD_ID = '0b7e2a4c-1d2e-4f30-8a9b-0c1d2e3f4a5b';
const KEY = `uploads/${USER}/${UPLOAD_ID}.jpg`;

const event = (): ApiGatewayProxyEvent =>
  ApiGatewayProxyEventSchema.parse(
    JSON.parse(readFileSync(join(__dirname, '../events/api-gateway/post-uploads.json'), 'utf8')),
  );
const deps = (): CreateUploadDependencies => ({
  s3: new S3Client({ region: 'eu-west-1', credentials: CREDENTIALS }),
  bucket: 'slipway-dev-media',
  policy: DEFAULT_UPLOAD_POLICY,
  encryption: { kind: 'aws:kms', keyId: 'alias/slipway-dev-media' },
  expiresInMinutes: 10,
  newId: () => UPLOAD_ID,
});
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

beforeEach(() =>
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }),
);
afterEach(() => jest.useRealTimers());

describe('createUpload', () => {
  it('answers a presigned POST whose signed policy pins size, type, key, encryption and expiry', async () => {
    // Act
    const { response, outcome } = await createUpload(event(), deps());

    // Assess
    const body = CreateUploadResponseSchema.parse(JSON.parse(response.body));
    const policy = JSON.parse(
      Buffer.from(body.fields['Policy'] as string, 'base64').toString('utf8'),
    );
    expect([response.statusCode, outcome]).toEqual([200, 'PRESIGNED']);
    expect({ ...body, fields: { ...body.fields, Policy: '…', 'X-Amz-Signature': '…' } }).toEqual({
      url: 'https://slipway-dev-media.s3.eu-west-1.amazonaws.com/',
      key: KEY,
      expiresAt: '2026-12-01T10:10:00Z',
      fields: {
        bucket: 'slipway-dev-media',
        key: KEY,
        'Content-Type': 'image/jpeg',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'alias/slipway-dev-media',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20261201/eu-west-1/s3/aws4_request',
        'X-Amz-Date': '20261201T100000Z',
        Policy: '…',
        'X-Amz-Signature': '…',
      },
    });
    expect(policy).toEqual({
      expiration: '2026-12-01T10:10:00Z',
      conditions: [
        ['content-length-range', 1, 2097152],
        { 'Content-Type': 'image/jpeg' },
        { 'x-amz-server-side-encryption': 'aws:kms' },
        { 'x-amz-server-side-encryption-aws-kms-key-id': 'alias/slipway-dev-media' },
        { bucket: 'slipway-dev-media' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20261201/eu-west-1/s3/aws4_request' },
        { 'X-Amz-Date': '20261201T100000Z' },
        { key: KEY },
      ],
    });
    // SigV4 for POST: HMAC of the base64 policy under the derived signing key.
    const signingKey = ['20261201', 'eu-west-1', 's3', 'aws4_request'].reduce<string | Buffer>(
      (key, part) => hmac(key, part),
      `AWS4${CREDENTIALS.secretAccessKey}`,
    );
    expect(body.fields['X-Amz-Signature']).toBe(
      hmac(signingKey, body.fields['Policy'] as string).toString('hex'),
    );
  });

  it('refuses a disallowed type before making any URL, listing the allowed types', async () => {
    // Prepare
    const input = event();
    input.body = JSON.stringify({
      filename: 'invoice.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });

    // Act
    const { response, outcome } = await createUpload(input, deps());

    // Assess
    expect([response.statusCode, outcome]).toEqual([400, 'TYPE_NOT_ALLOWED']);
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'TYPE_NOT_ALLOWED',
      allowed: expect.arrayContaining(['image/jpeg (up to 50 MiB)', 'video/mp4 (up to 5 GiB)']),
    });
  });

  it.each([
    [
      'a body failing its schema',
      JSON.stringify({ filename: 'a/b.jpg', contentType: 'image/jpeg', size: 1 }),
      'INVALID_REQUEST',
      'filename: must be a file name without path separators. Send {"filename", "contentType", "size"} with a file name, its MIME type and its size in bytes.',
    ],
    [
      'a size of 0',
      JSON.stringify({ filename: 'a.jpg', contentType: 'image/jpeg', size: 0 }),
      'INVALID_REQUEST',
      'size: Too small: expected number to be >0. Send {"filename", "contentType", "size"} with a file name, its MIME type and its size in bytes.',
    ],
    [
      'a body that is not JSON',
      '{filename',
      'INVALID_JSON',
      'The request body is not JSON. Send {"filename", "contentType", "size"} as application/json.',
    ],
  ])('answers 400 for %s', async (_what, body, code, message) => {
    // Prepare
    const input = event();
    input.body = body;

    // Act
    const { response } = await createUpload(input, deps());

    // Assess
    expect([response.statusCode, JSON.parse(response.body)]).toEqual([400, { code, message }]);
  });

  it('fails as a wiring fault when the authorizer context is missing', async () => {
    // Prepare
    const input = event();
    input.requestContext.authorizer = null;

    // Act + Assess
    await expect(createUpload(input, deps())).rejects.toThrow(EdgeConfigurationError);
  });
});
