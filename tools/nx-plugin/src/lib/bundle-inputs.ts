/**
 * What a Lambda bundle must never contain: development code. The esbuild metafile that
 * `build` writes (and `package` keeps beside the zip as `<name>.meta.json`) lists every source
 * file esbuild read for the bundle, by path from the workspace root; {@link devInputsOf} names
 * the ones that are dev code. `sandbox:integration` runs it over every packaged Lambda.
 */

/** The part of an esbuild metafile this check reads (`Metafile` in esbuild's types). */
export interface BundleMetafile {
  inputs: Record<string, unknown>;
}

/** A dev-code input found in a bundle, and which rule says so. */
export interface DevInput {
  input: string;
  rule: string;
}

/**
 * Rules, first match wins. Paths are the metafile's: relative to the workspace root, `/`
 * separated. The named modules are the dev code that once lived in runtime libs (issue 11), so
 * one that comes back under a lib is caught too, not only what sits under `tools/`.
 */
export const DEV_CODE_RULES: readonly { rule: string; test: (input: string) => boolean }[] = [
  { rule: 'a tools/ project (dev only)', test: (p) => p.startsWith('tools/') },
  { rule: "a lib's scripts/ folder", test: (p) => /^libs\/[^/]+\/scripts\//.test(p) },
  { rule: 'test code', test: (p) => /^(apps|libs)\/.+\/tests?\//.test(p) || /\.spec\.ts$/.test(p) },
  {
    rule: 'a sample generator',
    test: (p) =>
      /^(apps|libs)\/.*(\/sample\/|\/generate-[\w-]*samples?\.ts$|[\w-]*-samples\.ts$)/.test(p),
  },
  { rule: 'bench code', test: (p) => /^(apps|libs)\/.*\/bench(-worker)?\.ts$/.test(p) },
  {
    rule: 'media:inspect glue',
    test: (p) => /^(apps|libs)\/.*\/inspect(-media|-cli)?\.ts$/.test(p),
  },
  {
    rule: 'the MediaConvert stand-in',
    test: (p) => /^(apps|libs)\/.*\/mediaconvert\.ts$/.test(p),
  },
];

/**
 * Every input of `metafile` that is dev code, with the rule that matched, sorted by path.
 * Empty for a clean bundle.
 *
 * @example
 * devInputsOf(JSON.parse(readFileSync('dist/apps/media-probe/media-probe.meta.json', 'utf8')));
 * // [] — or [{ input: 'tools/samples/src/etl/day.ts', rule: 'a tools/ project (dev only)' }]
 */
export function devInputsOf(metafile: BundleMetafile): DevInput[] {
  return Object.keys(metafile.inputs)
    .sort()
    .flatMap((input) => {
      const match = DEV_CODE_RULES.find(({ test }) => test(input));
      return match ? [{ input, rule: match.rule }] : [];
    });
}

/** A package esbuild bundled from more than one folder: two versions of it in one bundle. */
export interface DuplicatePackage {
  name: string;
  /** The `node_modules/…/<name>` folders it was read from, sorted. */
  folders: string[];
}

/**
 * Packages bundled from more than one `node_modules` folder. Two copies of the AWS SDK core
 * (one client resolved to a newer `@smithy/core` than the others) once put 136 KB twice into a
 * bundle (issue 17); aligned versions in package.json and the lock file keep one copy.
 *
 * @example
 * duplicatePackagesOf({ inputs: { 'node_modules/a/x.js': {}, 'node_modules/b/node_modules/a/x.js': {} } });
 * // [{ name: 'a', folders: ['node_modules/a', 'node_modules/b/node_modules/a'] }]
 */
export function duplicatePackagesOf(metafile: BundleMetafile): DuplicatePackage[] {
  const folders = new Map<string, Set<string>>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (!match) continue;
    const [, folder, name] = match;
    if (!folders.has(name)) folders.set(name, new Set());
    folders.get(name)!.add(folder);
  }
  return [...folders]
    .filter(([, f]) => f.size > 1)
    .map(([name, f]) => ({ name, folders: [...f].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
