import { formatBytes } from '../../src/format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [301, '301 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [52_428_800, '50 MiB'],
    [5 * 1024 ** 3, '5 GiB'],
    [6.5 * 1024 ** 3, '6.5 GiB'],
    [3 * 1024 ** 4, '3 TiB'],
  ])('writes %d as %s', (bytes, expected) => {
    // Prepare: the byte count is the table's first column.

    // Act
    const text = formatBytes(bytes);

    // Assess
    expect(text).toBe(expected);
  });
});
