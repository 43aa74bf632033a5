/**
 * Line numbers for findings. `@cdktn/hcl2json` and `JSON.parse` drop positions, so blocks are
 * found again by scanning the source text: `resource "type" "name"` in HCL, and the nested
 * `"key": {` sequence in Terraform JSON.
 */

/** 1-based line of the HCL block `<kind> "<labels[0]>" "<labels[1]>"`, or undefined. */
export function hclBlockLine(text: string, kind: string, labels: string[]): number | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(
    `^[ \\t]*${esc(kind)}${labels.map((l) => `[ \\t]+"?${esc(l)}"?`).join('')}[ \\t]*\\{`,
    'm',
  );
  const m = re.exec(text);
  return m ? lineAt(text, m.index) : undefined;
}

/** 1-based line of an attribute `name =` after `afterLine` (1-based), or undefined. */
export function hclAttributeLine(text: string, name: string, afterLine = 1): number | undefined {
  const lines = text.split('\n');
  const re = new RegExp(`^\\s*"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=`);
  for (let i = Math.max(0, afterLine - 1); i < lines.length; i++)
    if (re.test(lines[i])) return i + 1;
  return undefined;
}

/** 1-based line of the last key of a nested key path in JSON text (`["resource","aws_s3_bucket","b"]`). */
export function jsonKeyLine(text: string, keys: string[]): number | undefined {
  let at = 0;
  for (const key of keys) {
    const idx = text.indexOf(`${JSON.stringify(key)}:`, at);
    const idx2 = idx < 0 ? text.indexOf(`${JSON.stringify(key)} :`, at) : idx;
    if (idx2 < 0) return undefined;
    at = idx2 + 1;
  }
  return lineAt(text, at - 1);
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
