/** A column of a Markdown table: its header and which side its cells line up on. */
export interface Column {
  header: string;
  /** Numbers read best right-aligned (digits line up); text left. Default `left`. */
  align?: 'left' | 'right';
}

function escapeCell(text: string): string {
  // A bare `|` would end the cell early; newlines would end the row.
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders a GitHub-flavoured Markdown table. Cells are padded to the column's width so the
 * table also reads well as plain text on stdout.
 *
 * @example
 * formatTable([{ header: 'Bundle' }, { header: 'ms', align: 'right' }], [['ref', '12.0']]);
 * // | Bundle |   ms |
 * // | :----- | ---: |
 * // | ref    | 12.0 |
 */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== columns.length) {
      throw new Error(
        `Row ${i} has ${row.length} cells but the table has ${columns.length} columns.`,
      );
    }
  }
  const headers = columns.map((c) => escapeCell(c.header));
  const body = rows.map((row) => row.map(escapeCell));
  // Three is the shortest separator that still shows the alignment colon.
  const widths = headers.map((h, i) => Math.max(3, h.length, ...body.map((r) => r[i].length)));
  const pad = (text: string, i: number) =>
    columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const separator = `| ${widths
    .map((w, i) =>
      columns[i].align === 'right' ? `${'-'.repeat(w - 1)}:` : `:${'-'.repeat(w - 1)}`,
    )
    .join(' | ')} |`;
  return [line(headers), separator, ...body.map(line)].join('\n');
}

/** Bytes as `1,171,750 B (1.12 MiB)`: exact for diffs, rounded for humans. */
export function formatBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} B`;
  if (bytes < 1024) return exact;
  const [value, unit] =
    bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${exact} (${value.toFixed(2)} ${unit})`;
}

/** Milliseconds with one decimal: finer digits are below the noise of a process start. */
export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/** A ratio as `×2.41`. */
export function formatRatio(value: number): string {
  return `×${value.toFixed(2)}`;
}
