import { s3rverCopySource } from '../../src/local-s3';

// What s3rver's `decodeURI` must be given to read the key S3 reads from `x-amz-copy-source`.
describe('s3rverCopySource', () => {
  it.each([
    ['+ # ? =', 'data/raw/dt%3D2026-03-01/a%2Bb%23c%3Fd.gz', 'data/raw/dt=2026-03-01/a+b#c?d.gz'],
    ['a leading slash', '/data/a%20b.csv', '/data/a%20b.csv'],
    ['% (kept escaped, decodeURI decodes %25)', 'data/50%25.csv', 'data/50%25.csv'],
    ['non-ASCII', 'data/%C3%A9t%C3%A9.jpg', 'data/%C3%A9t%C3%A9.jpg'],
    ['a versionId (dropped: s3rver keeps one version)', 'data/x%3Fy?versionId=v%201', 'data/x?y'],
  ])('rewrites %s', (_name, header, expected) => {
    // Act
    const rewritten = s3rverCopySource(header);

    // Assess: the exact value, and the key s3rver reads from it is S3's.
    expect(rewritten).toBe(expected);
    expect(decodeURI(rewritten as string)).toBe(decodeURIComponent(header.split('?')[0]));
  });

  it.each([['data/%%%%'], ['data/%E9.csv'], ['data/%ZZ']])(
    'gives undefined (S3: InvalidArgument) for the broken encoding %s',
    (header) => {
      expect(s3rverCopySource(header)).toBeUndefined();
    },
  );
});
