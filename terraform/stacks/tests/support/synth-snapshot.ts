/**
 * The synthesized stacks as a committed snapshot (fixtures/synth), so that a change of the CDK
 * library or of the app that moves an address, a module call or a variable shows up as a failing
 * test instead of a surprise in a real plan.
 *
 * A snapshot holds every `stacks/<stack>/cdk.tf.json` and the `manifest.json` of `cdktf.out`,
 * normalized so that only what the stacks declare is compared: the values that follow the Lambda
 * code (`source_code_hash`, the hex digest in `s3_key`) and the library's version in the `//`
 * metadata become placeholders. {@link withHashes} puts real hashes back for planning.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactKey } from '@slipway/manifest';

/** Stands for the base64 SHA-256 of a Lambda zip (`source_code_hash`). */
export const HASH_BASE64 = '<zip-sha256-base64>';
/** Stands for the hex SHA-256 of a Lambda zip inside `s3_key`. */
export const HASH_HEX = '<zip-sha256-hex>';
/** Stands for the CDK library's version in the `//` metadata and the manifest. */
export const LIBRARY_VERSION = '<cdk-version>';

/** A Terraform JSON configuration (`cdk.tf.json`). */
export type TerraformJson = Record<string, unknown>;

/** Every synthesized stack by name, and the app's manifest. */
export interface SynthSnapshot {
  manifest: Record<string, unknown>;
  stacks: Record<string, TerraformJson>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const hexOf = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

/**
 * A copy of one stack with code hashes and the library version replaced by placeholders. A
 * module's hashes are replaced only when `s3_key` ends in the hex form of its `source_code_hash`,
 * so a key that no longer follows the zip stays visible in a comparison.
 */
export function normalizeStack(stack: TerraformJson): TerraformJson {
  const copy = structuredClone(stack);
  const metadata = isObject(copy['//']) ? copy['//'].metadata : undefined;
  if (isObject(metadata) && 'version' in metadata) metadata.version = LIBRARY_VERSION;
  for (const call of Object.values(isObject(copy.module) ? copy.module : {})) {
    if (isObject(call)) hideCode(call);
  }
  return copy;
}

/** Replaces, in place, `s3_key`'s digest and `source_code_hash` when they agree. */
function hideCode(values: Record<string, unknown>): void {
  const { s3_key: key, source_code_hash: hash } = values;
  if (typeof key !== 'string' || typeof hash !== 'string') return;
  const hex = hexOf(hash);
  if (hex.length !== 64 || !key.endsWith(`/${hex}.zip`)) return;
  values.s3_key = `${key.slice(0, -`${hex}.zip`.length)}${HASH_HEX}.zip`;
  values.source_code_hash = HASH_BASE64;
}

/** Puts, in place, the real hashes where {@link hideCode} left placeholders. */
function showCode(values: Record<string, unknown>, hashOf: (lambda: string) => string): void {
  if (values.source_code_hash !== HASH_BASE64) return;
  const [env, lambda] = String(values.s3_key).split('/');
  const hash = hashOf(lambda!);
  values.s3_key = artifactKey(env!, lambda!, hash);
  values.source_code_hash = hash;
}

/** A state's resources, instance by instance (`attributes`), for in-place edits. */
type StateLike = { resources?: { instances?: { attributes?: Record<string, unknown> }[] }[] };
const attributesOf = (state: StateLike): Record<string, unknown>[] =>
  (state.resources ?? []).flatMap((r) =>
    (r.instances ?? []).flatMap((i) => (i.attributes ? [i.attributes] : [])),
  );

/** A copy of a Terraform state with the Lambda code hashes as placeholders. */
export function normalizeState<T extends object>(state: T): T {
  const copy = structuredClone(state);
  for (const attributes of attributesOf(copy as StateLike)) hideCode(attributes);
  return copy;
}

/** A normalized state with the real hashes of `hashOf(lambda)` again. */
export function stateWithHashes<T extends object>(state: T, hashOf: (lambda: string) => string): T {
  const copy = structuredClone(state);
  for (const attributes of attributesOf(copy as StateLike)) showCode(attributes, hashOf);
  return copy;
}

/** The app manifest without the library version. */
export function normalizeManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(manifest);
  if ('version' in copy) copy.version = LIBRARY_VERSION;
  return copy;
}

/** Reads and normalizes a synthesis output folder (`cdktf.out`). */
export function readSynth(outDir: string): SynthSnapshot {
  const read = (file: string) => JSON.parse(readFileSync(join(outDir, file), 'utf8'));
  const stacks: Record<string, TerraformJson> = {};
  for (const name of readdirSync(join(outDir, 'stacks')).sort()) {
    stacks[name] = normalizeStack(read(`stacks/${name}/cdk.tf.json`));
  }
  return { manifest: normalizeManifest(read('manifest.json')), stacks };
}

/** Reads a committed snapshot folder (`manifest.json` + `<stack>.tf.json`). */
export function readSnapshot(dir: string): SynthSnapshot {
  if (!existsSync(dir)) return { manifest: {}, stacks: {} };
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const stacks: Record<string, TerraformJson> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.tf.json')) stacks[file.slice(0, -'.tf.json'.length)] = read(file);
  }
  return { manifest: read('manifest.json'), stacks };
}

/**
 * Replaces the snapshot in `dir` with `snapshot`, one pretty-printed file per stack. Only the
 * snapshot's own files go: the frozen inputs and the applied states beside them stay.
 */
export function writeSnapshot(dir: string, snapshot: SynthSnapshot): void {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir))
    if (file.endsWith('.tf.json') || file === 'manifest.json') rmSync(join(dir, file));
  const write = (file: string, value: unknown) =>
    writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  write('manifest.json', snapshot.manifest);
  for (const [name, stack] of Object.entries(snapshot.stacks)) write(`${name}.tf.json`, stack);
}

/**
 * A normalized stack with real hashes again: `hashOf(lambda)` gives the base64 SHA-256 of the
 * Lambda whose `s3_key` (`<env>/<lambda>/<hex>.zip`) holds the placeholder.
 */
export function withHashes(
  stack: TerraformJson,
  hashOf: (lambda: string) => string,
): TerraformJson {
  const copy = structuredClone(stack);
  for (const call of Object.values(isObject(copy.module) ? copy.module : {})) {
    if (isObject(call)) showCode(call, hashOf);
  }
  return copy;
}

/**
 * Terraform addresses of one configuration's blocks and their bodies: `module.<name>`,
 * `output.<name>`, `variable.<name>`, `<type>.<name>` for resources, `data.<type>.<name>`, and
 * `terraform`, `provider.<name>`, `locals`, `//` as a whole.
 */
function blocks(stack: TerraformJson): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [kind, body] of Object.entries(stack)) {
    if (!isObject(body) || ['terraform', 'locals', '//'].includes(kind)) {
      out.set(kind, body);
    } else if (kind === 'resource' || kind === 'data') {
      for (const [type, named] of Object.entries(body)) {
        for (const [name, value] of Object.entries(isObject(named) ? named : {})) {
          out.set(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, value);
        }
      }
    } else {
      for (const [name, value] of Object.entries(body)) out.set(`${kind}.${name}`, value);
    }
  }
  return out;
}

/** Paths (`a.b[0].c`) at which two JSON values differ. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path || '.'} (length ${a.length} → ${b.length})`];
    return a.flatMap((v, i) => differences(v, b[i], `${path}[${i}]`));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      k in a && k in b
        ? differences(a[k], b[k], path ? `${path}.${k}` : k)
        : [path ? `${path}.${k}` : k],
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '.'];
}

/**
 * What differs between two snapshots, one line per stack, address or changed path, for a
 * reader: `- stack media-dev`, `+ module.lambda_x`, `~ module.flow_media: definition`. Empty
 * when the snapshots are equal.
 */
export function diffSnapshots(expected: SynthSnapshot, actual: SynthSnapshot): string[] {
  const lines: string[] = [];
  const manifest = differences(expected.manifest, actual.manifest);
  if (manifest.length > 0) lines.push(`~ manifest.json: ${manifest.join(', ')}`);
  const names = [...new Set([...Object.keys(expected.stacks), ...Object.keys(actual.stacks)])];
  for (const name of names.sort()) {
    const before = expected.stacks[name];
    const after = actual.stacks[name];
    if (!before || !after) {
      lines.push(`${before ? '-' : '+'} stack ${name}`);
      continue;
    }
    const a = blocks(before);
    const b = blocks(after);
    for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      if (!b.has(address)) lines.push(`${name}: - ${address}`);
      else if (!a.has(address)) lines.push(`${name}: + ${address}`);
      else {
        const paths = differences(a.get(address), b.get(address));
        if (paths.length > 0) lines.push(`${name}: ~ ${address}: ${paths.join(', ')}`);
      }
    }
  }
  return lines;
}
