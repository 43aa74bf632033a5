/**
 * What a Lambda bundle is made of, from the esbuild metafile `package` keeps beside the zip
 * (`dist/apps/<name>/<name>.meta.json`): the bytes each package (or workspace project) puts
 * into `handler.js`, largest first. The bench reports the top five per bundle (issue 17).
 */

/** The part of an esbuild metafile this reads (`Metafile` in esbuild's types). */
export interface ContentsMetafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** One contributor to a bundle. */
export interface Contributor {
  /** npm package (`@smithy/core`), workspace project (`libs/edge`, `apps/edge-authorizer`) or path. */
  name: string;
  /** Bytes it puts into the output (minified). */
  bytes: number;
  /** Its share of the output, 0 … 1. */
  share: number;
}

/** The package or project an input path belongs to: the last `node_modules/<pkg>`, else `libs/x` / `apps/x`. */
export function ownerOf(input: string): string {
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (pkg) return pkg[1];
  const project = /^((?:libs|apps|tools)\/[^/]+)\//.exec(input);
  return project ? project[1] : input;
}

/**
 * The `top` largest contributors to the bundle's `.js` output.
 *
 * @throws Error when the metafile has no `.js` output (not a bundle metafile).
 * @example
 * bundleContents(JSON.parse(readFileSync('dist/apps/edge-authorizer/edge-authorizer.meta.json', 'utf8')));
 * // [{ name: '@smithy/core', bytes: 136409, share: 0.22 }, { name: 'zod', … }, …]
 */
export function bundleContents(metafile: ContentsMetafile, top = 5): Contributor[] {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.js'))?.[1];
  if (!output)
    throw new Error(
      `the metafile has no .js output (outputs: ${Object.keys(metafile.outputs).join(', ') || 'none'}): pass the one esbuild wrote for a bundle.`,
    );
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
    bytes.set(ownerOf(input), (bytes.get(ownerOf(input)) ?? 0) + bytesInOutput);
  return [...bytes]
    .map(([name, b]) => ({ name, bytes: b, share: b / output.bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, top);
}
