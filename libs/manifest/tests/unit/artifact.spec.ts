import {
  artifactBucketName,
  artifactKey,
  InvalidSha256Error,
  sha256Hex,
  sourceMapKey,
} from '../../src';

// SHA-256 of zero bytes, in both forms (printf '' | sha256sum; ... | openssl dgst -binary | base64).
const EMPTY_BASE64 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const EMPTY_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('artifact contract', () => {
  it('keys a zip by environment, Lambda and the hex form of its sha256', () => {
    // Act
    const key = artifactKey('dev', 'etl-publish', EMPTY_BASE64);

    // Assess
    expect(key).toBe(`dev/etl-publish/${EMPTY_HEX}.zip`);
    expect(sha256Hex(EMPTY_BASE64)).toBe(EMPTY_HEX);
  });

  it("keys a source map beside its zip, by the zip's sha256", () => {
    expect(sourceMapKey('dev', 'etl-publish', EMPTY_BASE64)).toBe(
      `dev/etl-publish/${EMPTY_HEX}.js.map`,
    );
    expect(() => sourceMapKey('dev', 'etl-publish', EMPTY_HEX)).toThrow(InvalidSha256Error);
  });

  it('names the bucket the bootstrap creates', () => {
    expect(artifactBucketName('slipway', '111111111111')).toBe('slipway-artifacts-111111111111');
  });

  it.each([
    ['a hex digest', EMPTY_HEX],
    ['a truncated digest', EMPTY_BASE64.slice(1)],
    ['a digest with a newline', `${EMPTY_BASE64}\n`],
    ['an empty file', ''],
  ])('rejects %s with a message that says how to fix it', (_label, value) => {
    // Act
    const act = () => artifactKey('dev', 'etl-publish', value);

    // Assess
    expect(act).toThrow(InvalidSha256Error);
    expect(act).toThrow(/npx nx run <name>:package/);
  });
});
