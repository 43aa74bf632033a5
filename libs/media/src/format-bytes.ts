const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * Writes a byte count for people, in binary units with at most one decimal:
 * `301 bytes`, `1.5 KiB`, `50 MiB`, `5 GiB`. Locale-independent, so messages read the same in
 * every Lambda region.
 *
 * @example
 * formatBytes(52_428_800); // "50 MiB"
 */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit: (typeof UNITS)[number] = UNITS[0];
  for (const next of UNITS) {
    unit = next;
    value /= 1024;
    // Compare the rounded value so 1023.96 KiB is written as 1 MiB, not 1024 KiB.
    if (Math.abs(Number(value.toFixed(1))) < 1024) break;
  }
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}
