/**
 * Seals a saved plan (the binary plan, its JSON, its plan-guard metadata) into one encrypted
 * file for the artifact store, and opens it again in the apply job (issue 12, item 5).
 *
 * A plan file and `terraform show -json` carry the prior state's values unredacted (a Lambda's
 * environment variables, generated passwords); an Actions artifact is readable by anyone with
 * read access to the repository. So the plan job never uploads them in clear: it asks KMS for a
 * data key of the environment's delivery key (`alias/<prefix>-<env>-delivery`, bootstrap output
 * `delivery_key_arns`) under the encryption context
 * `{"slipway:purpose":"plan","slipway:environment":"<env>"}` and encrypts the files with
 * AES-256-GCM. The plan role may only GenerateDataKey, the deploy role only Decrypt, each with
 * exactly that context: a reader of the artifact gets ciphertext, and a sealed plan of one
 * environment does not open as another's
 * (https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html).
 *
 * The file, `<stack>.tfplan.sealed`:
 *
 * | bytes          | what                                                                       |
 * | -------------- | -------------------------------------------------------------------------- |
 * | 8              | `SLWSEAL1`                                                                 |
 * | 4              | header length (unsigned, big-endian)                                       |
 * | header length  | JSON {@link SealedHeader}: environment, key, encrypted data key, nonce, names and sizes |
 * | sum of sizes   | AES-256-GCM ciphertext of the files, one after the other                   |
 * | 16             | the GCM authentication tag                                                 |
 *
 * The header is the GCM additional authenticated data: a changed name, size, environment or
 * nonce fails authentication like a changed ciphertext byte. No tar: names are checked one by one
 * (a bare file name, nothing that climbs out of the output folder) and written only after the
 * whole file authenticated, never over an existing file.
 *
 * @example npx tsx tools/delivery/src/plan-seal.ts seal --key "$DELIVERY_KEY_ARN" --environment dev --out media-dev.tfplan.sealed media-dev.tfplan media-dev.json media-dev.tfplan.meta.json
 * @example npx tsx tools/delivery/src/plan-seal.ts open --environment dev --key "$DELIVERY_KEY_ARN" --expect-sha256 "$SHA" --out-dir "$STACK_DIR" media-dev.tfplan.sealed
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { NoCredentialsError, PlanChecksumError, SealedPlanError, UsageError } from './errors';
import { asksForHelp, processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** First bytes of every sealed file, and its format version. */
export const SEALED_MAGIC = Buffer.from('SLWSEAL1', 'ascii');
const TAG_BYTES = 16;
const NONCE_BYTES = 12; // GCM's recommended IV size (NIST SP 800-38D, 8.2)

/** The header of a sealed file; authenticated, not encrypted. */
export interface SealedHeader {
  format: 'slipway-sealed/1';
  environment: string;
  /** The KMS key the data key was generated under, as given to `seal --key`. */
  keyId: string;
  /** The data key, encrypted by KMS (base64 `CiphertextBlob`). */
  encryptedDataKey: string;
  /** The GCM nonce (base64, 12 bytes). */
  nonce: string;
  /** Bare file names and sizes, in ciphertext order. */
  files: { name: string; size: number }[];
}

/**
 * The encryption context of every plan data key of an environment; the bootstrap's key policy
 * and role policies require exactly this.
 */
export const planEncryptionContext = (environment: string): Record<string, string> => ({
  'slipway:purpose': 'plan',
  'slipway:environment': environment,
});

/** A name `open` may write: one path segment of safe characters, not `.` or `..`. */
const SAFE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,255}$/;
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Hex SHA-256 of bytes. */
export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** What KMS said, as a {@link DeliveryError} that says what to do; other errors pass through. */
function kmsError(
  error: unknown,
  file: string,
  operation: 'GenerateDataKey' | 'Decrypt',
  environment: string,
  keyId: string,
): unknown {
  const name = (error as Error).name;
  const role = operation === 'GenerateDataKey' ? 'plan' : 'deploy';
  const context = JSON.stringify(planEncryptionContext(environment));
  if (name === 'CredentialsProviderError')
    return new NoCredentialsError(`${environment} ${role}`, { cause: error });
  if (name === 'InvalidCiphertextException')
    return new SealedPlanError(
      file,
      `KMS would not decrypt its data key under the encryption context ${context}: the plan was sealed for another environment, or its encrypted data key was changed. Open a sealed plan only in the environment it was planned for; otherwise re-run the plan.`,
      { cause: error },
    );
  if (name === 'AccessDeniedException' || name === 'NotFoundException')
    return new SealedPlanError(
      file,
      `KMS refused kms:${operation} on ${keyId} (${name}): run it with the ${environment} ${role} role, which the bootstrap allows kms:${operation} on the ${environment} delivery key with exactly the encryption context ${context} (terraform/bootstrap output delivery_key_arns).`,
      { cause: error },
    );
  return error;
}

/** Arguments of {@link sealFiles}. */
export interface SealArgs {
  key: string;
  environment: string;
  out: string;
  inputs: string[];
}

/**
 * Encrypts `inputs` into one sealed file at `out` under a fresh data key of `key`.
 *
 * @returns the header written and the sealed file's hex SHA-256
 * @throws {SealedPlanError} for an unreadable or badly named input, or a KMS refusal.
 */
export async function sealFiles(
  args: SealArgs,
  kms: KMSClient = new KMSClient({}),
): Promise<{ header: SealedHeader; sha256: string }> {
  const files = args.inputs.map((input) => {
    const name = basename(input);
    if (!SAFE_NAME.test(name))
      throw new SealedPlanError(
        input,
        'has a name a sealed plan cannot carry: use letters, digits, ".", "_" and "-" only.',
      );
    try {
      return { name, bytes: readFileSync(input) };
    } catch (error) {
      throw new SealedPlanError(input, 'cannot be read; check the path.', { cause: error });
    }
  });
  const names = files.map((f) => f.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new SealedPlanError(
      args.out,
      `two inputs are named ${duplicate}: a sealed plan holds bare file names, so they would overwrite each other when opened. Rename one.`,
    );

  let dataKey: { Plaintext?: Uint8Array; CiphertextBlob?: Uint8Array };
  try {
    dataKey = await kms.send(
      new GenerateDataKeyCommand({
        KeyId: args.key,
        KeySpec: 'AES_256',
        EncryptionContext: planEncryptionContext(args.environment),
      }),
    );
  } catch (error) {
    throw kmsError(error, args.out, 'GenerateDataKey', args.environment, args.key);
  }
  if (!dataKey.Plaintext || !dataKey.CiphertextBlob)
    throw new SealedPlanError(args.out, 'KMS returned no data key; try again.');
  const plaintextKey = Buffer.from(dataKey.Plaintext);
  try {
    const nonce = randomBytes(NONCE_BYTES);
    const header: SealedHeader = {
      format: 'slipway-sealed/1',
      environment: args.environment,
      keyId: args.key,
      encryptedDataKey: Buffer.from(dataKey.CiphertextBlob).toString('base64'),
      nonce: nonce.toString('base64'),
      files: files.map(({ name, bytes }) => ({ name, size: bytes.length })),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const cipher = createCipheriv('aes-256-gcm', plaintextKey, nonce);
    cipher.setAAD(headerBytes);
    const ciphertext = Buffer.concat([
      ...files.map(({ bytes }) => cipher.update(bytes)),
      cipher.final(),
    ]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);
    const sealed = Buffer.concat([
      SEALED_MAGIC,
      length,
      headerBytes,
      ciphertext,
      cipher.getAuthTag(),
    ]);
    writeFileSync(args.out, sealed, { mode: 0o600 });
    return { header, sha256: sha256Hex(sealed) };
  } finally {
    plaintextKey.fill(0);
    dataKey.Plaintext.fill(0);
  }
}

/**
 * Splits a sealed file into its header (checked for shape and safe names), the header's bytes,
 * the ciphertext and the tag. Nothing is decrypted.
 *
 * @throws {SealedPlanError} when the bytes are not a sealed plan of this format.
 */
export function parseSealed(
  bytes: Buffer,
  file: string,
): { header: SealedHeader; headerBytes: Buffer; ciphertext: Buffer; tag: Buffer } {
  const notSealed = (why: string) =>
    new SealedPlanError(
      file,
      `is not a sealed plan (${why}); give the .sealed file the plan job uploaded, whole.`,
    );
  if (
    bytes.length < SEALED_MAGIC.length + 4 + TAG_BYTES ||
    !bytes.subarray(0, 8).equals(SEALED_MAGIC)
  )
    throw notSealed(`it does not start with ${SEALED_MAGIC.toString('ascii')}`);
  const headerLength = bytes.readUInt32BE(8);
  const bodyStart = 12 + headerLength;
  if (bodyStart + TAG_BYTES > bytes.length) throw notSealed('its header runs past the end');
  const headerBytes = bytes.subarray(12, bodyStart);
  let header: SealedHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as SealedHeader;
  } catch (error) {
    throw new SealedPlanError(file, 'has a header that is not JSON: the file was changed.', {
      cause: error,
    });
  }
  if (
    header.format !== 'slipway-sealed/1' ||
    typeof header.environment !== 'string' ||
    typeof header.keyId !== 'string' ||
    typeof header.encryptedDataKey !== 'string' ||
    typeof header.nonce !== 'string' ||
    !Array.isArray(header.files)
  )
    throw notSealed('its header is not of format slipway-sealed/1');
  for (const entry of header.files) {
    if (typeof entry?.name !== 'string' || !SAFE_NAME.test(entry.name))
      throw new SealedPlanError(
        file,
        `names a file ${JSON.stringify(entry?.name)} that is not a bare file name: a sealed plan never writes outside its output folder. The file was crafted or changed; re-run the plan.`,
      );
    if (!Number.isSafeInteger(entry.size) || entry.size < 0)
      throw notSealed(`file ${entry.name} has no valid size`);
  }
  const ciphertext = bytes.subarray(bodyStart, bytes.length - TAG_BYTES);
  const total = header.files.reduce((sum, entry) => sum + entry.size, 0);
  if (total !== ciphertext.length)
    throw new SealedPlanError(
      file,
      `holds ${ciphertext.length} bytes of ciphertext, but its header lists ${total}: the file was cut or changed. Download it again or re-run the plan.`,
    );
  return { header, headerBytes, ciphertext, tag: bytes.subarray(bytes.length - TAG_BYTES) };
}

/** Arguments of {@link openSealed}. */
export interface OpenArgs {
  file: string;
  environment: string;
  outDir: string;
  /** When given, the header must name this key, and KMS is asked to decrypt with it only. */
  key?: string;
  /** When given, the file's hex SHA-256 must be this before anything is read from it. */
  expectSha256?: string;
}

/**
 * Checks, decrypts and writes the files of a sealed plan into `outDir`.
 *
 * In this order, so nothing is trusted before it is checked: the file's SHA-256 (`expectSha256`),
 * the header's shape, names and environment, KMS Decrypt of the data key under this
 * environment's context, GCM authentication of header and ciphertext; only then are the files
 * written (never over an existing file).
 *
 * @returns the paths written
 * @throws {PlanChecksumError} when the SHA-256 is not the expected one.
 * @throws {SealedPlanError} for any other refusal.
 */
export async function openSealed(
  args: OpenArgs,
  kms: KMSClient = new KMSClient({}),
): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (error) {
    throw new SealedPlanError(
      args.file,
      'cannot be read; was the plan artifact downloaded (actions/download-artifact) to this path?',
      { cause: error },
    );
  }
  if (args.expectSha256 !== undefined) {
    const actual = sha256Hex(bytes);
    if (actual !== args.expectSha256.toLowerCase())
      throw new PlanChecksumError(args.file, actual, args.expectSha256);
  }
  const { header, headerBytes, ciphertext, tag } = parseSealed(bytes, args.file);
  if (header.environment !== args.environment)
    throw new SealedPlanError(
      args.file,
      `is a plan sealed for ${header.environment}, not for ${args.environment}: apply it only in ${header.environment}, or plan ${args.environment}.`,
    );
  if (args.key !== undefined && header.keyId !== args.key)
    throw new SealedPlanError(
      args.file,
      `was sealed under ${header.keyId}, not under ${args.key}, the ${args.environment} delivery key: it was not sealed by this repository's ${args.environment} plan job. Re-run the plan.`,
    );
  const keyId = args.key ?? header.keyId;
  let plaintextKey: Buffer;
  try {
    const result = await kms.send(
      new DecryptCommand({
        KeyId: keyId,
        CiphertextBlob: Buffer.from(header.encryptedDataKey, 'base64'),
        EncryptionContext: planEncryptionContext(args.environment),
      }),
    );
    if (!result.Plaintext)
      throw new SealedPlanError(args.file, 'KMS returned no plaintext data key; try again.');
    plaintextKey = Buffer.from(result.Plaintext);
    result.Plaintext.fill(0);
  } catch (error) {
    throw kmsError(error, args.file, 'Decrypt', args.environment, keyId);
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      plaintextKey,
      Buffer.from(header.nonce, 'base64'),
    );
    decipher.setAAD(headerBytes);
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new SealedPlanError(
      args.file,
      'failed authentication (AES-256-GCM): its header, ciphertext or tag changed after it was sealed. Nothing was written; re-run the plan.',
      { cause: error },
    );
  } finally {
    plaintextKey.fill(0);
  }
  mkdirSync(args.outDir, { recursive: true });
  const written: string[] = [];
  let offset = 0;
  for (const { name, size } of header.files) {
    const path = join(args.outDir, name);
    try {
      // 'wx': never replace a file already there (nor follow a planted symlink).
      writeFileSync(path, plaintext.subarray(offset, offset + size), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      throw new SealedPlanError(
        args.file,
        `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): open a sealed plan into a folder that does not hold its files yet.`,
        { cause: error },
      );
    }
    written.push(path);
    offset += size;
  }
  return written;
}

/** Usage text. */
export const USAGE = `Usage: plan-seal seal --key <arn> --environment <env> --out <file> <input>...
       plan-seal open --environment <env> --out-dir <dir> [--key <arn>] [--expect-sha256 <hex>] <file>

seal  in the plan job: encrypts the inputs (the binary plan, its JSON, its metadata) into one
      file under a fresh KMS data key of --key, with the encryption context
      {"slipway:purpose":"plan","slipway:environment":"<env>"}; prints the file's SHA-256.
open  in the apply job: refuses a file whose SHA-256 is not --expect-sha256, decrypts the data
      key with KMS under the same context (so another environment's plan does not open),
      authenticates header and ciphertext and writes the files into --out-dir.

  --key <arn>             the environment's delivery key (bootstrap output delivery_key_arns)
  --environment <env>     dev, staging, prod, ...
  --out <file>            the sealed file to write (seal)
  --out-dir <dir>         where to write the files (open); existing files are never replaced
  --expect-sha256 <hex>   the SHA-256 recorded for the file (open)
  --help                  this text

Exit codes: 0 sealed / opened; 1 refused (checksum, environment, key, authentication, KMS) or
a failed read; 2 bad usage.`;

/** Parsed command line. */
export type CliArgs = ({ command: 'seal' } & SealArgs) | ({ command: 'open' } & OpenArgs);

type Flag = 'key' | 'environment' | 'out' | 'out-dir' | 'expect-sha256';
const ALLOWED: Record<'seal' | 'open', readonly Flag[]> = {
  seal: ['key', 'environment', 'out'],
  open: ['key', 'environment', 'out-dir', 'expect-sha256'],
};

/**
 * Parses `argv` (without node and script). Accepts `--flag value` and `--flag=value`.
 *
 * @throws {UsageError} on an unknown command or flag, a missing value or a missing required flag.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  if (argv.length === 0 || asksForHelp(argv)) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'seal' && command !== 'open')
    throw new UsageError(`unknown command ${JSON.stringify(command)}; expected seal or open`);
  const flags = readFlags(rest, { values: ALLOWED[command], positional: true, command });
  if (flags === 'help') return flags;
  const { values, positional } = flags;
  if (!values.environment) throw new UsageError('--environment <env> is required');
  if (!ENVIRONMENT_NAME.test(values.environment))
    throw new UsageError(
      `--environment ${JSON.stringify(values.environment)} is not an environment name (lowercase letters, digits, "-")`,
    );
  if (command === 'seal') {
    if (!values.key)
      throw new UsageError('--key <arn> is required: the delivery key of the environment');
    if (!values.out) throw new UsageError('--out <file> is required');
    if (positional.length === 0) throw new UsageError('give at least one file to seal');
    return {
      command,
      key: values.key,
      environment: values.environment,
      out: values.out,
      inputs: positional,
    };
  }
  if (!values['out-dir']) throw new UsageError('--out-dir <dir> is required');
  if (positional.length !== 1) throw new UsageError('give exactly one sealed file to open');
  if (values['expect-sha256'] !== undefined && !/^[0-9a-fA-F]{64}$/.test(values['expect-sha256']))
    throw new UsageError(
      `--expect-sha256 must be 64 hex digits (sha256sum's output), not ${JSON.stringify(values['expect-sha256'])}`,
    );
  return {
    command,
    file: positional[0] as string,
    environment: values.environment,
    outDir: values['out-dir'],
    ...(values.key ? { key: values.key } : {}),
    ...(values['expect-sha256'] ? { expectSha256: values['expect-sha256'] } : {}),
  };
}

/** Runs the command; resolves to the exit code (0 ok, 1 refused or failure, 2 usage). */
export function main(argv: string[], io: CliIo = processIo, kms?: KMSClient): Promise<number> {
  return runCli(
    {
      name: 'plan-seal',
      usage: USAGE,
      parse: parseArgs,
      run: async (args, out) => {
        if (args.command === 'seal') {
          const { header, sha256 } = await sealFiles(args, kms);
          out.write(
            `plan-seal: sealed ${header.files.map((f) => f.name).join(', ')} for ${header.environment} into ${args.out} (sha256 ${sha256}).\n`,
          );
        } else {
          const written = await openSealed(args, kms);
          out.write(
            `plan-seal: opened ${args.file} for ${args.environment}${args.expectSha256 ? ' (SHA-256 as recorded)' : ''}: ${written.join(', ')}.\n`,
          );
        }
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'plan-seal', main);
