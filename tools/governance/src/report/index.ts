import type { ScanResult } from '../engine';
import { toJson } from './json';
import { toJunit } from './junit';
import { toMarkdown } from './markdown';
import { toSarif } from './sarif';
import { toTable } from './table';

/** Output formats of the CLI. */
export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** Renders a scan result in the given format. */
export function render(result: ScanResult, format: Format): string {
  switch (format) {
    case 'json':
      return toJson(result);
    case 'sarif':
      return JSON.stringify(toSarif(result), null, 2);
    case 'junit':
      return toJunit(result);
    case 'markdown':
      return toMarkdown(result);
    default:
      return toTable(result);
  }
}

export { toJson, toJunit, toMarkdown, toSarif, toTable };
