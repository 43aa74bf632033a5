import { describe, expect, it } from '@jest/globals';
import { formatBytes, formatMs, formatRatio, formatTable } from '../../src/format';

describe('formatTable', () => {
  it('pads cells to the column width and marks the alignment', () => {
    const table = formatTable(
      [{ header: 'Bundle' }, { header: 'ms', align: 'right' }],
      [
        ['reference', '9.5'],
        ['media-validate', '110.0'],
      ],
    );

    expect(table).toBe(
      [
        '| Bundle         |    ms |',
        '| :------------- | ----: |',
        '| reference      |   9.5 |',
        '| media-validate | 110.0 |',
      ].join('\n'),
    );
  });

  it('keeps the separator at least three characters wide', () => {
    expect(formatTable([{ header: 'a' }], [['b']]).split('\n')[1]).toBe('| :-- |');
  });

  it('escapes pipes and flattens newlines so a cell cannot break the table', () => {
    const [, , row] = formatTable([{ header: 'x' }], [['a|b\nc']]).split('\n');
    expect(row).toBe('| a\\|b c |');
  });

  it('renders a header-only table for no rows', () => {
    expect(formatTable([{ header: 'Lambda' }], []).split('\n')).toHaveLength(2);
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => formatTable([{ header: 'a' }, { header: 'b' }], [['only one']])).toThrow(
      /Row 0 has 1 cells/,
    );
  });
});

describe('number formats', () => {
  it('gives bytes exactly and in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(216_954)).toBe('216,954 B (211.87 KiB)');
    expect(formatBytes(1_171_750)).toBe('1,171,750 B (1.12 MiB)');
  });

  it('gives milliseconds with one decimal and ratios with two', () => {
    expect(formatMs(27.149)).toBe('27.1 ms');
    expect(formatRatio(4.096)).toBe('×4.10');
  });
});
