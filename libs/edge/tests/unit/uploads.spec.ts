import { DEFAULT_UPLOAD_POLICY, parseUploadPolicy } from '@slipway/media';
import {
  decideCreateUpload,
  EdgeError,
  extensionOf,
  uploadPostPolicy,
  userUploadKey,
} from '../../src';

const ALLOWED = [
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
];
const request = () => ({
  filename: 'Holiday.JPG',
  contentType: 'image/jpeg',
  size: 2 * 1024 * 1024,
});

describe('decideCreateUpload', () => {
  it('accepts a type and size of the media upload policy, canonical type and extension', () => {
    expect(
      decideCreateUpload(
        { ...request(), contentType: 'Image/JPEG; charset=binary' },
        DEFAULT_UPLOAD_POLICY,
      ),
    ).toEqual({
      status: 'accepted',
      contentType: 'image/jpeg',
      kind: 'image',
      size: 2097152,
      extension: '.jpg',
    });
  });

  it('accepts exactly the limit', () => {
    expect(
      decideCreateUpload({ ...request(), size: 50 * 1024 * 1024 }, DEFAULT_UPLOAD_POLICY),
    ).toMatchObject({ status: 'accepted' });
  });

  it('refuses a type outside the policy with the allowed list', () => {
    expect(
      decideCreateUpload({ ...request(), contentType: 'application/pdf' }, DEFAULT_UPLOAD_POLICY),
    ).toEqual({
      status: 'refused',
      code: 'TYPE_NOT_ALLOWED',
      message: `application/pdf is not a type this platform accepts. Upload one of: ${ALLOWED.join(', ')}.`,
      allowed: ALLOWED,
    });
  });

  it('refuses image/heic, which the default policy leaves out', () => {
    expect(
      decideCreateUpload({ ...request(), contentType: 'image/heic' }, DEFAULT_UPLOAD_POLICY),
    ).toMatchObject({ code: 'TYPE_NOT_ALLOWED' });
  });

  it('refuses one byte over the limit, naming sizes', () => {
    expect(
      decideCreateUpload({ ...request(), size: 50 * 1024 * 1024 + 1 }, DEFAULT_UPLOAD_POLICY),
    ).toEqual({
      status: 'refused',
      code: 'TOO_LARGE',
      message: `The image is 52428801 bytes, over the limit of 52428800 bytes (50 MiB) for images. Upload a smaller file; accepted: ${ALLOWED.join(', ')}.`,
      allowed: ALLOWED,
    });
  });

  it('applies a policy configured from the environment', () => {
    // Prepare
    const policy = parseUploadPolicy({ ALLOWED_MIME_TYPES: 'image/png', MAX_IMAGE_BYTES: '1000' });

    // Act + Assess
    expect(
      decideCreateUpload({ ...request(), contentType: 'image/png', size: 1001 }, policy),
    ).toMatchObject({
      code: 'TOO_LARGE',
      allowed: ['image/png (up to 1000 bytes)'],
    });
  });
});

describe('extensionOf', () => {
  it.each([
    ['Holiday.JPG', '.jpg'],
    ['clip.final.MOV', '.mov'],
    ['noextension', ''],
    ['.hidden', ''],
    ['weird.ext-with-dash', ''],
    ['long.abcdefghijk', ''],
  ])('%s → %j', (name, ext) => expect(extensionOf(name)).toBe(ext));
});

describe('userUploadKey', () => {
  it('builds uploads/<userId>/<uuid><ext> under the media flow prefix', () => {
    expect(
      userUploadKey(
        '5f1c2d3e-0000-4000-8000-00000000abcd',
        '0b7e2a4c-1d2e-4f30-8a9b-0c1d2e3f4a5b',
        '.jpg',
      ),
    ).toBe('uploads/5f1c2d3e-0000-4000-8000-00000000abcd/0b7e2a4c-1d2e-4f30-8a9b-0c1d2e3f4a5b.jpg');
  });

  it.each(['a/b', '..', '', 'user\n'])('refuses the user id %j', (userId) => {
    expect(() => userUploadKey(userId, '0b7e2a4c-1d2e-4f30-8a9b-0c1d2e3f4a5b', '')).toThrow(
      EdgeError,
    );
  });
});

describe('uploadPostPolicy', () => {
  const accepted = {
    status: 'accepted',
    contentType: 'video/mp4',
    kind: 'video',
    size: 1000,
    extension: '.mp4',
  } as const;

  it('holds the POST to 1..size bytes; the type and SSE-S3 as exact fields', () => {
    expect(uploadPostPolicy(accepted, { kind: 'AES256' })).toEqual({
      conditions: [['content-length-range', 1, 1000]],
      fields: { 'Content-Type': 'video/mp4', 'x-amz-server-side-encryption': 'AES256' },
    });
  });

  it('names the KMS key when one is configured', () => {
    const keyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(uploadPostPolicy(accepted, { kind: 'aws:kms', keyId }).fields).toEqual({
      'Content-Type': 'video/mp4',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': keyId,
    });
  });
});
