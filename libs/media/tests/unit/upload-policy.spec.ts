import { MediaError, UploadPolicyError } from '../../src/errors';
import {
  DEFAULT_UPLOAD_POLICY,
  KNOWN_MEDIA_TYPES,
  parseUploadPolicy,
} from '../../src/upload-policy';

// An environment that sets every variable to a valid value; negative cases break one of them.
const VALID_ENV: Record<string, string | undefined> = {
  MAX_IMAGE_BYTES: '10485760',
  MAX_VIDEO_BYTES: '1073741824',
  ALLOWED_MIME_TYPES: 'image/jpeg,video/mp4',
};

function policyErrorFrom(env: Record<string, string | undefined>): UploadPolicyError {
  try {
    parseUploadPolicy(env);
  } catch (error) {
    if (error instanceof UploadPolicyError) return error;
    throw error;
  }
  throw new Error(`parseUploadPolicy accepted ${JSON.stringify(env)}`);
}

describe('DEFAULT_UPLOAD_POLICY', () => {
  it('allows every known type but HEIC, images up to 50 MiB and videos up to 5 GiB', () => {
    // Prepare
    const expectedMimes = [
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/heif',
      'image/avif',
      'video/mp4',
      'video/quicktime',
      'video/3gpp',
      'video/3gpp2',
      'video/x-m4v',
    ];

    // Act
    const policy = DEFAULT_UPLOAD_POLICY;

    // Assess
    expect(policy.maxBytes).toEqual({ image: 50 * 1024 * 1024, video: 5 * 1024 * 1024 * 1024 });
    expect(policy.allowed.map((type) => type.mime)).toEqual(expectedMimes);
    expect(policy.allowed.filter((type) => type.kind === 'video').map((type) => type.mime)).toEqual(
      ['video/mp4', 'video/quicktime', 'video/3gpp', 'video/3gpp2', 'video/x-m4v'],
    );
  });

  it('cannot be changed by a caller', () => {
    // Prepare
    const maxBytes = DEFAULT_UPLOAD_POLICY.maxBytes as { image: number };

    // Act
    const change = () => {
      maxBytes.image = 1;
    };

    // Assess
    expect(change).toThrow(TypeError);
    expect(DEFAULT_UPLOAD_POLICY.maxBytes.image).toBe(50 * 1024 * 1024);
  });
});

describe('parseUploadPolicy', () => {
  it('returns the default policy when no variable is set', () => {
    // Prepare
    const env = {};

    // Act
    const policy = parseUploadPolicy(env);

    // Assess
    expect(policy).toEqual(DEFAULT_UPLOAD_POLICY);
  });

  it('treats blank variables as unset', () => {
    // Prepare
    const env = { MAX_IMAGE_BYTES: '', MAX_VIDEO_BYTES: '  ', ALLOWED_MIME_TYPES: '' };

    // Act
    const policy = parseUploadPolicy(env);

    // Assess
    expect(policy).toEqual(DEFAULT_UPLOAD_POLICY);
  });

  it('reads every variable', () => {
    // Prepare
    const env = { ...VALID_ENV };

    // Act
    const policy = parseUploadPolicy(env);

    // Assess
    expect(policy).toEqual({
      maxBytes: { image: 10_485_760, video: 1_073_741_824 },
      allowed: [
        { mime: 'image/jpeg', kind: 'image' },
        { mime: 'video/mp4', kind: 'video' },
      ],
    });
  });

  it('keeps the default for a limit that is not set', () => {
    // Prepare
    const env = { MAX_IMAGE_BYTES: '2048' };

    // Act
    const policy = parseUploadPolicy(env);

    // Assess
    expect(policy.maxBytes).toEqual({ image: 2048, video: DEFAULT_UPLOAD_POLICY.maxBytes.video });
    expect(policy.allowed).toEqual(DEFAULT_UPLOAD_POLICY.allowed);
  });

  it('reads ALLOWED_MIME_TYPES regardless of case, spaces, empty items and repeats', () => {
    // Prepare
    const env = { ...VALID_ENV, ALLOWED_MIME_TYPES: ' Image/HEIC , video/QuickTime,,image/heic, ' };

    // Act
    const policy = parseUploadPolicy(env);

    // Assess
    expect(policy.allowed).toEqual([
      { mime: 'image/heic', kind: 'image' },
      { mime: 'video/quicktime', kind: 'video' },
    ]);
  });

  describe.each(['MAX_IMAGE_BYTES', 'MAX_VIDEO_BYTES'])('%s', (variable) => {
    it.each(['-1', '0', '1.5', '1e6', '0x400', '10 MiB', 'abc', '99999999999999999999'])(
      'rejects "%s", naming the variable, the value and what is accepted',
      (value) => {
        // Prepare
        const env = { ...VALID_ENV, [variable]: value };

        // Act
        const error = policyErrorFrom(env);

        // Assess
        expect(error).toBeInstanceOf(MediaError);
        expect(error.name).toBe('UploadPolicyError');
        expect(error.variable).toBe(variable);
        expect(error.value).toBe(value);
        expect(error.message).toContain(`${variable} must be a positive whole number of bytes`);
        expect(error.message).toContain(`"${value}"`);
        expect(error.message).toContain('remove it to use the default');
      },
    );
  });

  describe('ALLOWED_MIME_TYPES', () => {
    it('rejects a type the platform cannot process, listing the known ones', () => {
      // Prepare
      const env = { ...VALID_ENV, ALLOWED_MIME_TYPES: 'image/jpeg,image/gif' };

      // Act
      const error = policyErrorFrom(env);

      // Assess
      expect(error.name).toBe('UploadPolicyError');
      expect(error.variable).toBe('ALLOWED_MIME_TYPES');
      expect(error.message).toContain('"image/gif"');
      for (const { mime } of KNOWN_MEDIA_TYPES) expect(error.message).toContain(mime);
    });

    it('rejects a list that names no type', () => {
      // Prepare
      const env = { ...VALID_ENV, ALLOWED_MIME_TYPES: ' , ,' };

      // Act
      const error = policyErrorFrom(env);

      // Assess
      expect(error.variable).toBe('ALLOWED_MIME_TYPES');
      expect(error.message).toContain('names no MIME type');
      expect(error.message).toContain('image/jpeg, image/png');
    });
  });
});
