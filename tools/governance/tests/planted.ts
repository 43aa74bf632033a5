/**
 * Planted-misconfiguration fixtures made from the live module, not from a committed copy of it:
 * the module's top-level *.tf files are copied into a fresh folder and a unified diff (kept in
 * tests/fixtures/planted/<module>.patch) plants the problems. A copy would drift from the module
 * it claims to stand for; a patch either applies to today's module or fails saying so.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Where planted copies live: the repository's git-ignored `tmp/`. Inside the checkout, finding
 * paths stay short and relative (`tmp/governance/planted-<random>/bucket/main.tf`, not a
 * `../../..` climb into the OS temp dir); ignored by git, so neither Nx (which makes projects
 * only of `terraform/**\/versions.tf` and `apps/*\/lambda.manifest.json`) nor Prettier nor a
 * commit sees them, and no governance target scans them.
 */
export const PLANTED_ROOT = path.join(REPO_ROOT, 'tmp', 'governance');

/** A planted copy of a module. */
export interface PlantedModule {
  /** Folder holding the copied and patched *.tf files; its name is the module's folder name. */
  dir: string;
  /** Removes the copy (and its parent folder). Safe to call more than once. */
  cleanup: () => void;
}

/** The planted patch does not apply to the module as it is now, or is not a usable patch. */
export class PlantedPatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlantedPatchError';
  }
}

/** Repository-relative path, for messages a reader can open from the repository root. */
const repoPath = (p: string) => path.relative(REPO_ROOT, p) || '.';

/** `a/main.tf` → `main.tf`: the patch's paths are relative to the module folder. */
const stripPrefix = (name: string | undefined) => name?.replace(/^[ab]\//, '');

const hunkHeader = (h: StructuredPatchHunk) =>
  `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

/**
 * Copies the top-level *.tf files of `moduleDir` (not `examples/` or `tests/`) into a fresh
 * folder under {@link PLANTED_ROOT} and applies `patchFile` to them with jsdiff, exactly (no
 * fuzz): a hunk whose context or removed lines are no longer in the module fails the call.
 *
 * @throws {PlantedPatchError} naming the module file and the hunk that no longer applies, or
 *   what is wrong with the patch (unparseable, patching nothing, a file the module lacks).
 * @example
 * const planted = plantModule('terraform/modules/bucket', 'tools/governance/tests/fixtures/planted/bucket.patch');
 * try {
 *   await scan({ hcl: [planted.dir], profile: 'baseline' });
 * } finally {
 *   planted.cleanup();
 * }
 */
export function plantModule(moduleDir: string, patchFile: string): PlantedModule {
  const moduleAbs = path.resolve(moduleDir);
  const patchAbs = path.resolve(patchFile);
  const patches = readPatch(patchAbs);
  const files = readdirSync(moduleAbs, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => e.name)
    .sort();

  // Patch everything in memory first: a failing patch leaves no folder behind.
  const contents = new Map(files.map((f) => [f, readFileSync(path.join(moduleAbs, f), 'utf8')]));
  for (const patch of patches) {
    const name = stripPrefix(patch.oldFileName)!;
    const source = contents.get(name);
    if (source === undefined)
      throw new PlantedPatchError(
        `${repoPath(patchAbs)} patches ${name}, which is not a top-level *.tf file of ` +
          `${repoPath(moduleAbs)} (it has ${files.join(', ')}): update the patch.`,
      );
    contents.set(name, apply(source, patch, path.join(moduleAbs, name), patchAbs));
  }

  mkdirSync(PLANTED_ROOT, { recursive: true });
  const parent = mkdtempSync(path.join(PLANTED_ROOT, 'planted-'));
  const dir = path.join(parent, path.basename(moduleAbs));
  mkdirSync(dir);
  for (const [name, text] of contents) writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Parses the patch; every entry must edit one existing file in place and have hunks. */
function readPatch(patchAbs: string): StructuredPatch[] {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(readFileSync(patchAbs, 'utf8'));
  } catch (cause) {
    throw new PlantedPatchError(
      `${repoPath(patchAbs)} is not a unified diff jsdiff can parse: ${(cause as Error).message}`,
      { cause },
    );
  }
  // parsePatch returns one empty entry for a text without any diff in it.
  patches = patches.filter((p) => p.hunks.length > 0 || p.oldFileName !== undefined);
  if (!patches.length)
    throw new PlantedPatchError(`${repoPath(patchAbs)} plants nothing: it has no file diffs.`);
  for (const p of patches) {
    const from = stripPrefix(p.oldFileName);
    const to = stripPrefix(p.newFileName);
    if (!from || from !== to || from.includes('/') || !p.hunks.length)
      throw new PlantedPatchError(
        `${repoPath(patchAbs)}: every entry must edit one top-level module file in place ` +
          `(--- a/<file> / +++ b/<file>, with hunks); got "${p.oldFileName}" → "${p.newFileName}" ` +
          `with ${p.hunks.length} hunk(s).`,
      );
  }
  return patches;
}

/** Applies one file's patch, or names the first hunk that no longer fits the module's file. */
function apply(source: string, patch: StructuredPatch, file: string, patchAbs: string): string {
  const patched = applyPatch(source, patch);
  if (patched !== false) return patched;

  // applyPatch only says "false": replay hunk by hunk to say which one stopped applying.
  let text = source;
  const failing = patch.hunks.findIndex((hunk) => {
    const next = applyPatch(text, { ...patch, hunks: [hunk] });
    if (next === false) return true;
    text = next;
    return false;
  });
  const which =
    failing < 0
      ? `Its hunks no longer apply in this order`
      : `Hunk ${failing + 1} of ${patch.hunks.length} (${hunkHeader(patch.hunks[failing])}) ` +
        `no longer matches the file's lines`;
  throw new PlantedPatchError(
    `${repoPath(file)} changed under the planted patch: update ${repoPath(patchAbs)}. ` +
      `${which}; re-plant it on the module as it is now (see the patch's header).`,
  );
}

/**
 * terraform/modules/bucket with tests/fixtures/planted/bucket.patch applied: five planted
 * problems (SLW-S3-002, SLW-S3-003, SLW-S3-006, SLW-REPO-001, SLW-REPO-004), the input of the
 * report, waiver and CLI specs.
 */
export function plantBucket(): PlantedModule {
  return plantModule(
    path.join(REPO_ROOT, 'terraform/modules/bucket'),
    path.join(__dirname, 'fixtures/planted/bucket.patch'),
  );
}
