import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ValidationDecisionSchema,
  type RejectionCode,
  type ValidationDecision,
} from '@slipway/events';
import { SNIFF_BYTES } from '../../src/detect';
import { MediaError, UploadInputError } from '../../src/errors';
import {
  DEFAULT_UPLOAD_POLICY,
  parseUploadPolicy,
  type UploadPolicy,
} from '../../src/upload-policy';
import { decideUpload } from '../../src/validate-upload';
import { fixtureNames, objectRefFor, readFixture } from '../support/fixtures';

const GiB = 1024 ** 3;

/** Decides on a fixture as the Lambda would: the real size, and only the first SNIFF_BYTES. */
async function decideFixture(
  name: string,
  policy: UploadPolicy = DEFAULT_UPLOAD_POLICY,
  size?: number,
): Promise<ValidationDecision> {
  const bytes = readFixture(name);
  const realSize = size ?? bytes.length;
  return decideUpload(
    { object: objectRefFor(name, realSize), size: realSize, head: bytes.subarray(0, SNIFF_BYTES) },
    policy,
  );
}

function rejected(
  decision: ValidationDecision,
): Extract<ValidationDecision, { status: 'rejected' }> {
  if (decision.status !== 'rejected')
    throw new Error(`expected a rejection, got ${JSON.stringify(decision)}`);
  return decision;
}

type Expectation =
  | { status: 'accepted'; kind: 'image' | 'video'; mime: string }
  | { status: 'rejected'; code: RejectionCode; mime?: string };

const EXPECTED: Record<string, Expectation> = {
  'clip.mov': { status: 'accepted', kind: 'video', mime: 'video/quicktime' },
  'clip.mp4': { status: 'accepted', kind: 'video', mime: 'video/mp4' },
  'document.pdf': { status: 'rejected', code: 'TYPE_NOT_ALLOWED', mime: 'application/pdf' },
  'empty.jpg': { status: 'rejected', code: 'EMPTY' },
  'invoice.jpg': { status: 'rejected', code: 'TYPE_NOT_ALLOWED', mime: 'application/pdf' },
  'photo.avif': { status: 'accepted', kind: 'image', mime: 'image/avif' },
  'photo.heic': { status: 'rejected', code: 'TYPE_NOT_ALLOWED', mime: 'image/heic' },
  'photo.jpg': { status: 'accepted', kind: 'image', mime: 'image/jpeg' },
  'photo.png': { status: 'accepted', kind: 'image', mime: 'image/png' },
  'photo.webp': { status: 'accepted', kind: 'image', mime: 'image/webp' },
  'random.bin': { status: 'rejected', code: 'UNKNOWN_TYPE' },
};

describe('decideUpload', () => {
  describe('with the default policy', () => {
    it('has an expectation for every fixture file', () => {
      // Prepare
      const expectedNames = Object.keys(EXPECTED).sort();

      // Act
      const names = fixtureNames();

      // Assess
      expect(names).toEqual(expectedNames);
    });

    it.each(Object.entries(EXPECTED))('decides %s', async (name, expected) => {
      // Prepare
      const size = readFixture(name).length;

      // Act
      const decision = await decideFixture(name);

      // Assess
      expect(ValidationDecisionSchema.parse(decision)).toEqual(decision);
      expect(decision).toMatchObject({ ...expected, object: objectRefFor(name, size), size });
    });
  });

  it.each([
    ['phone.3gp', 'video/3gpp'],
    ['mpeg4-part2.3gp', 'video/3gpp'],
  ])('accepts the phone video %s as %s (Probe then checks its codecs)', async (name, mime) => {
    // Prepare
    const bytes = readFileSync(join(__dirname, '../fixtures/videos', name));
    const object = { bucket: 'media', key: `uploads/${name}` };

    // Act
    const decision = await decideUpload(
      { object, size: bytes.length, head: bytes.subarray(0, SNIFF_BYTES) },
      DEFAULT_UPLOAD_POLICY,
    );

    // Assess
    expect(decision).toMatchObject({ status: 'accepted', kind: 'video', mime });
  });

  it('accepts an M4V (ftyp major brand "M4V ") as video/x-m4v', async () => {
    // Prepare: clip.mp4 with its major brand replaced, as ffmpeg's ipod muxer writes it.
    const bytes = Buffer.from(readFixture('clip.mp4'));
    bytes.write('M4V ', 8, 'latin1');
    const object = { bucket: 'media', key: 'uploads/clip.m4v' };

    // Act
    const decision = await decideUpload(
      { object, size: bytes.length, head: bytes.subarray(0, SNIFF_BYTES) },
      DEFAULT_UPLOAD_POLICY,
    );

    // Assess
    expect(decision).toMatchObject({ status: 'accepted', kind: 'video', mime: 'video/x-m4v' });
  });

  it('rejects a PDF named .jpg as TYPE_NOT_ALLOWED, naming what it really is', async () => {
    // Prepare
    const name = 'invoice.jpg';

    // Act
    const decision = rejected(await decideFixture(name));

    // Assess
    expect(decision.code).toBe('TYPE_NOT_ALLOWED');
    expect(decision.mime).toBe('application/pdf');
    expect(decision.kind).toBeUndefined();
    expect(decision.reason).toBe(
      "The file's contents show it is application/pdf (.pdf), a type that is not accepted here. " +
        'Upload a file of one of these types: image/jpeg, image/png, image/webp, image/heif, ' +
        'image/avif, video/mp4, video/quicktime, video/3gpp, video/3gpp2, video/x-m4v.',
    );
  });

  it('rejects a HEIC photo by default, saying how to export it as JPEG', async () => {
    // Prepare
    const name = 'photo.heic';

    // Act
    const decision = rejected(await decideFixture(name));

    // Assess
    expect(decision).toMatchObject({ code: 'TYPE_NOT_ALLOWED', kind: 'image', mime: 'image/heic' });
    expect(decision.reason).toContain('HEIC photo (HEVC-coded), which this service cannot decode');
    expect(decision.reason).toContain('Export it as JPEG');
  });

  it('accepts a HEIC photo when the policy allows it again', async () => {
    // Prepare: a deployment whose libvips has an HEVC decoder opts back in.
    const head = readFixture('photo.heic');
    const object = { bucket: 'slipway-test-uploads', key: 'uploads/photo.heic' };
    const policy = parseUploadPolicy({ ALLOWED_MIME_TYPES: 'image/jpeg,image/heic' });

    // Act
    const decision = await decideUpload({ object, size: head.length, head }, policy);

    // Assess
    expect(decision).toMatchObject({ status: 'accepted', kind: 'image', mime: 'image/heic' });
  });

  it('accepts an image whose key claims another type', async () => {
    // Prepare: real PNG bytes under a key ending in .pdf.
    const head = readFixture('photo.png');
    const object = { bucket: 'slipway-test-uploads', key: 'uploads/report.pdf' };

    // Act
    const decision = await decideUpload({ object, size: head.length, head }, DEFAULT_UPLOAD_POLICY);

    // Assess
    expect(decision).toEqual({
      status: 'accepted',
      object,
      kind: 'image',
      mime: 'image/png',
      size: head.length,
    });
  });

  describe('EMPTY', () => {
    it('is decided from the size before the bytes are looked at', async () => {
      // Prepare: a JPEG head, but S3 says the object has no bytes.
      const head = readFixture('photo.jpg');

      // Act
      const decision = rejected(
        await decideUpload(
          { object: objectRefFor('photo.jpg', 0), size: 0, head },
          DEFAULT_UPLOAD_POLICY,
        ),
      );

      // Assess
      expect(decision.code).toBe('EMPTY');
      expect(decision.mime).toBeUndefined();
      expect(decision.reason).toBe(
        'The file is empty (0 bytes). Check that the upload finished, then upload the file again.',
      );
    });
  });

  describe('UNKNOWN_TYPE', () => {
    it('lists the types the policy accepts', async () => {
      // Prepare
      const policy = parseUploadPolicy({ ALLOWED_MIME_TYPES: 'image/jpeg,video/mp4' });

      // Act
      const decision = rejected(await decideFixture('random.bin', policy));

      // Assess
      expect(decision.code).toBe('UNKNOWN_TYPE');
      expect(decision.reason).toBe(
        'The file is not in any format we recognise, so it cannot be processed. ' +
          'Upload a file of one of these types: image/jpeg, video/mp4.',
      );
    });

    it('comes before the size limit', async () => {
      // Prepare
      const size = 100 * GiB;

      // Act
      const decision = rejected(await decideFixture('random.bin', DEFAULT_UPLOAD_POLICY, size));

      // Assess
      expect(decision.code).toBe('UNKNOWN_TYPE');
    });
  });

  describe('TYPE_NOT_ALLOWED', () => {
    it('comes before the size limit', async () => {
      // Prepare: a PDF far over every limit.
      const size = 100 * GiB;

      // Act
      const decision = rejected(await decideFixture('document.pdf', DEFAULT_UPLOAD_POLICY, size));

      // Assess
      expect(decision.code).toBe('TYPE_NOT_ALLOWED');
    });

    describe('with ALLOWED_MIME_TYPES=image/jpeg', () => {
      const policy = parseUploadPolicy({ ALLOWED_MIME_TYPES: 'image/jpeg' });

      it('still accepts a JPEG', async () => {
        // Prepare
        const name = 'photo.jpg';

        // Act
        const decision = await decideFixture(name, policy);

        // Assess
        expect(decision).toMatchObject({ status: 'accepted', mime: 'image/jpeg' });
      });

      it('rejects a PNG, saying what it is and what is allowed', async () => {
        // Prepare
        const name = 'photo.png';

        // Act
        const decision = rejected(await decideFixture(name, policy));

        // Assess
        expect(decision).toMatchObject({
          code: 'TYPE_NOT_ALLOWED',
          kind: 'image',
          mime: 'image/png',
        });
        expect(decision.reason).toBe(
          "The file's contents show it is image/png (.png), a type that is not accepted here. " +
            'Upload a file of one of these types: image/jpeg.',
        );
      });

      it('rejects a video', async () => {
        // Prepare
        const name = 'clip.mp4';

        // Act
        const decision = rejected(await decideFixture(name, policy));

        // Assess
        expect(decision).toMatchObject({
          code: 'TYPE_NOT_ALLOWED',
          kind: 'video',
          mime: 'video/mp4',
        });
      });
    });
  });

  describe('TOO_LARGE', () => {
    const smallPolicy: UploadPolicy = {
      ...DEFAULT_UPLOAD_POLICY,
      maxBytes: { image: 100, video: 4096 },
    };

    it('rejects an image over the image limit, in human units', async () => {
      // Prepare: photo.jpg is 301 bytes.
      const name = 'photo.jpg';

      // Act
      const decision = rejected(await decideFixture(name, smallPolicy));

      // Assess
      expect(ValidationDecisionSchema.parse(decision)).toEqual(decision);
      expect(decision).toMatchObject({
        code: 'TOO_LARGE',
        kind: 'image',
        mime: 'image/jpeg',
        size: 301,
      });
      expect(decision.reason).toBe(
        'The image is 301 bytes, which is over the limit of 100 bytes for images. ' +
          'Upload a smaller or more compressed version of at most 100 bytes.',
      );
    });

    it('rejects a video over the video limit', async () => {
      // Prepare: clip.mp4 is 7002 bytes.
      const name = 'clip.mp4';

      // Act
      const decision = rejected(await decideFixture(name, smallPolicy));

      // Assess
      expect(decision).toMatchObject({ code: 'TOO_LARGE', kind: 'video', mime: 'video/mp4' });
      expect(decision.reason).toContain(
        'The video is 6.8 KiB, which is over the limit of 4 KiB for videos.',
      );
    });

    it('accepts a file of exactly the limit', async () => {
      // Prepare
      const policy: UploadPolicy = { ...DEFAULT_UPLOAD_POLICY, maxBytes: { image: 301, video: 1 } };

      // Act
      const decision = await decideFixture('photo.jpg', policy);

      // Assess
      expect(decision).toMatchObject({ status: 'accepted', size: 301 });
    });

    it('uses the size S3 reports, not the length of the head', async () => {
      // Prepare: the head of a real MOV, and S3 saying the object is 6 GiB.
      const size = 6 * GiB;

      // Act
      const decision = rejected(await decideFixture('clip.mov', DEFAULT_UPLOAD_POLICY, size));

      // Assess
      expect(decision).toMatchObject({
        code: 'TOO_LARGE',
        kind: 'video',
        mime: 'video/quicktime',
        size,
      });
      expect(decision.reason).toBe(
        'The video is 6 GiB, which is over the limit of 5 GiB for videos. ' +
          'Upload a smaller or more compressed version of at most 5 GiB.',
      );
    });

    it('gives exact byte counts when rounding would hide the difference', async () => {
      // Prepare
      const size = 5 * GiB + 1;

      // Act
      const decision = rejected(await decideFixture('clip.mp4', DEFAULT_UPLOAD_POLICY, size));

      // Assess
      expect(decision.code).toBe('TOO_LARGE');
      expect(decision.reason).toContain('The video is 5 GiB (5,368,709,121 bytes)');
      expect(decision.reason).toContain('the limit of 5 GiB (5,368,709,120 bytes)');
    });
  });

  describe('a size no S3 object can have', () => {
    it.each([-1, 1.5, Number.NaN])('throws UploadInputError for %d', async (size) => {
      // Prepare
      const head = readFixture('photo.jpg');

      // Act
      const decide = decideUpload(
        { object: objectRefFor('photo.jpg', 301), size, head },
        DEFAULT_UPLOAD_POLICY,
      );

      // Assess
      await expect(decide).rejects.toThrow(UploadInputError);
      await expect(decide).rejects.toThrow(MediaError);
      await expect(decide).rejects.toThrow(/pass the object size in bytes/);
    });
  });
});
