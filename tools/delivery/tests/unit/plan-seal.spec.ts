import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { PlanChecksumError, SealedPlanError, UsageError } from '../../src/errors';
import {
  main,
  openSealed,
  parseArgs,
  parseSealed,
  sealFiles,
  SEALED_MAGIC,
  type SealedHeader,
} from '../../src/plan-seal';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:alias/slipway-dev-delivery';
const PROD_KEY = 'arn:aws:kms:eu-west-1:222222222222:alias/slipway-prod-delivery';
const context = (environment: string) => ({
  'slipway:purpose': 'plan',
  'slipway:environment': environment,
});
const fixture = (name: string) => join(__dirname, '../fixtures', name);
const PLAN_JSON = fixture('plans/sensitive.json');

/**
 * A stand-in for KMS that keeps its promise: a data key's ciphertext decrypts only under the
 * key and the encryption context it was generated with (InvalidCiphertextException otherwise).
 */
const kmsMock = mockClient(KMSClient);
const issued = new Map<string, { key: Buffer; keyId: string; context: string }>();
beforeEach(() => {
  kmsMock.reset();
  issued.clear();
  kmsMock.on(GenerateDataKeyCommand).callsFake((input) => {
    const key = Buffer.alloc(32, issued.size + 1);
    const blob = Buffer.from(`kms-ciphertext-${issued.size + 1}-of-${input.KeyId}`);
    issued.set(blob.toString('base64'), {
      key,
      keyId: input.KeyId,
      context: JSON.stringify(input.EncryptionContext),
    });
    return { Plaintext: Buffer.from(key), CiphertextBlob: blob, KeyId: input.KeyId };
  });
  kmsMock.on(DecryptCommand).callsFake((input) => {
    const entry = issued.get(Buffer.from(input.CiphertextBlob).toString('base64'));
    if (
      !entry ||
      entry.keyId !== input.KeyId ||
      entry.context !== JSON.stringify(input.EncryptionContext)
    )
      throw new InvalidCiphertextException({
        message: 'InvalidCiphertextException',
        $metadata: {},
      });
    return { Plaintext: Buffer.from(entry.key), KeyId: input.KeyId };
  });
});

const scratch = mkdtempSync(join(tmpdir(), 'plan-seal-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** A binary plan's stand-in (every byte value), named as the plan job names it (*.tfplan is gitignored). */
const PLAN_BINARY = join(scratch, 'media-dev.tfplan');
copyFileSync(fixture('seal/plan-file.bytes'), PLAN_BINARY);
const folder = () => mkdtempSync(join(scratch, 'case-'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const kms = () => new KMSClient({ region: 'eu-west-1' });

/** Seals the binary plan fixture and the plan JSON fixture for `environment`. */
async function sealed(environment = 'dev', key = KEY): Promise<string> {
  const out = join(folder(), 'media-dev.tfplan.sealed');
  await sealFiles({ key, environment, out, inputs: [PLAN_BINARY, PLAN_JSON] }, kms());
  return out;
}

/** Rewrites a sealed file's header (with its length), keeping ciphertext and tag. */
function rewriteHeader(file: string, change: (header: SealedHeader) => void): void {
  const bytes = readFileSync(file);
  const { header, ciphertext, tag } = parseSealed(bytes, file);
  change(header);
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  writeFileSync(file, Buffer.concat([SEALED_MAGIC, length, headerBytes, ciphertext, tag]));
}

describe('sealFiles and openSealed', () => {
  it('asks KMS for an AES-256 data key under the plan context, and opens to the same bytes', async () => {
    // Prepare
    const out = join(folder(), 'media-dev.tfplan.sealed');
    const outDir = folder();

    // Act
    const { header, sha256: reported } = await sealFiles(
      { key: KEY, environment: 'dev', out, inputs: [PLAN_BINARY, PLAN_JSON] },
      kms(),
    );
    const written = await openSealed(
      { file: out, environment: 'dev', outDir, key: KEY, expectSha256: reported },
      kms(),
    );

    // Assess
    expect(kmsMock.commandCalls(GenerateDataKeyCommand).map((c) => c.args[0].input)).toEqual([
      {
        KeyId: KEY,
        KeySpec: 'AES_256',
        EncryptionContext: { 'slipway:purpose': 'plan', 'slipway:environment': 'dev' },
      },
    ]);
    expect(kmsMock.commandCalls(DecryptCommand).map((c) => c.args[0].input)).toEqual([
      {
        KeyId: KEY,
        CiphertextBlob: Buffer.from(`kms-ciphertext-1-of-${KEY}`),
        EncryptionContext: { 'slipway:purpose': 'plan', 'slipway:environment': 'dev' },
      },
    ]);
    expect(header).toEqual({
      format: 'slipway-sealed/1',
      environment: 'dev',
      keyId: KEY,
      encryptedDataKey: Buffer.from(`kms-ciphertext-1-of-${KEY}`).toString('base64'),
      nonce: expect.stringMatching(/^[A-Za-z0-9+/]{16}$/),
      files: [
        { name: 'media-dev.tfplan', size: readFileSync(PLAN_BINARY).length },
        { name: 'sensitive.json', size: readFileSync(PLAN_JSON).length },
      ],
    });
    expect(reported).toBe(sha256(readFileSync(out)));
    expect(written).toEqual([join(outDir, 'media-dev.tfplan'), join(outDir, 'sensitive.json')]);
    expect(readFileSync(join(outDir, 'media-dev.tfplan'))).toEqual(readFileSync(PLAN_BINARY));
    expect(readFileSync(join(outDir, 'sensitive.json'))).toEqual(readFileSync(PLAN_JSON));
  });

  it('writes no plan value in clear', async () => {
    // Prepare: sensitive.json carries its secrets in every place a plan holds values.
    const out = await sealed();

    // Act
    const bytes = readFileSync(out).toString('latin1');

    // Assess
    expect(bytes).toContain('"name":"sensitive.json"'); // the header is readable...
    expect(bytes).not.toContain('resource_changes'); // ...the plan is not
    expect(bytes).not.toContain(readFileSync(PLAN_JSON, 'utf8').slice(0, 40));
  });

  it('refuses a flipped ciphertext byte', async () => {
    // Prepare
    const file = await sealed();
    const bytes = readFileSync(file);
    const headerEnd = 12 + bytes.readUInt32BE(8);
    bytes[headerEnd + 5] = (bytes[headerEnd + 5] as number) ^ 0x01;
    writeFileSync(file, bytes);
    const outDir = folder();

    // Act
    const opening = openSealed({ file, environment: 'dev', outDir }, kms());

    // Assess
    await expect(opening).rejects.toThrow(SealedPlanError);
    await expect(openSealed({ file, environment: 'dev', outDir }, kms())).rejects.toThrow(
      `${file}: failed authentication (AES-256-GCM): its header, ciphertext or tag changed after it was sealed. Nothing was written; re-run the plan.`,
    );
    expect(existsSync(join(outDir, 'media-dev.tfplan'))).toBe(false);
  });

  it('refuses a changed header (a renamed file), though the ciphertext is intact', async () => {
    // Prepare
    const file = await sealed();
    rewriteHeader(file, (header) => {
      (header.files[1] as { name: string }).name = 'media-dev.json';
    });
    const outDir = folder();

    // Act / Assess
    await expect(openSealed({ file, environment: 'dev', outDir }, kms())).rejects.toThrow(
      `${file}: failed authentication (AES-256-GCM): its header, ciphertext or tag changed after it was sealed. Nothing was written; re-run the plan.`,
    );
    expect(existsSync(join(outDir, 'media-dev.json'))).toBe(false);
  });

  it("refuses another environment's plan relabelled as this one: KMS will not decrypt it under this context", async () => {
    // Prepare: a prod plan whose header claims dev, opened with the same key id.
    const file = await sealed('prod', PROD_KEY);
    rewriteHeader(file, (header) => {
      header.environment = 'dev';
    });

    // Act / Assess
    await expect(openSealed({ file, environment: 'dev', outDir: folder() }, kms())).rejects.toThrow(
      `${file}: KMS would not decrypt its data key under the encryption context {"slipway:purpose":"plan","slipway:environment":"dev"}: the plan was sealed for another environment, or its encrypted data key was changed. Open a sealed plan only in the environment it was planned for; otherwise re-run the plan.`,
    );
    expect(kmsMock.commandCalls(DecryptCommand)[0]?.args[0].input.EncryptionContext).toEqual(
      context('dev'),
    );
  });

  it("refuses another environment's plan as it is, before asking KMS", async () => {
    // Prepare
    const file = await sealed('prod', PROD_KEY);

    // Act / Assess
    await expect(openSealed({ file, environment: 'dev', outDir: folder() }, kms())).rejects.toThrow(
      `${file}: is a plan sealed for prod, not for dev: apply it only in prod, or plan dev.`,
    );
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('refuses a plan sealed under another key than the one given', async () => {
    // Prepare
    const file = await sealed('dev', PROD_KEY);

    // Act / Assess
    await expect(
      openSealed({ file, environment: 'dev', outDir: folder(), key: KEY }, kms()),
    ).rejects.toThrow(
      `${file}: was sealed under ${PROD_KEY}, not under ${KEY}, the dev delivery key: it was not sealed by this repository's dev plan job. Re-run the plan.`,
    );
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('refuses a file whose SHA-256 is not the recorded one, before reading anything from it', async () => {
    // Prepare
    const file = await sealed();
    const actual = sha256(readFileSync(file));
    const recorded = 'a'.repeat(64);

    // Act
    const opening = openSealed(
      { file, environment: 'dev', outDir: folder(), expectSha256: recorded },
      kms(),
    );

    // Assess
    await expect(opening).rejects.toThrow(PlanChecksumError);
    await expect(
      openSealed({ file, environment: 'dev', outDir: folder(), expectSha256: recorded }, kms()),
    ).rejects.toThrow(
      `${file} has SHA-256 ${actual}, not ${recorded}, the one the record job of this run wrote down when the plan was made: the sealed plan was replaced after it was recorded, so it is not opened. Find out who uploaded it (the run's artifacts), then re-run the deploy from its plan job.`,
    );
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it.each(['../media-dev.tfplan', '/etc/cron.d/x', '..', 'dir/file'])(
    'refuses a header naming %j, before asking KMS',
    async (name) => {
      // Prepare
      const file = await sealed();
      rewriteHeader(file, (header) => {
        (header.files[0] as { name: string }).name = name;
      });

      // Act / Assess
      await expect(
        openSealed({ file, environment: 'dev', outDir: folder() }, kms()),
      ).rejects.toThrow(
        `${file}: names a file ${JSON.stringify(name)} that is not a bare file name: a sealed plan never writes outside its output folder. The file was crafted or changed; re-run the plan.`,
      );
      expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(0);
    },
  );

  it('never replaces a file already in the output folder', async () => {
    // Prepare
    const file = await sealed();
    const outDir = folder();
    writeFileSync(join(outDir, 'media-dev.tfplan'), 'the plan that was there');

    // Act / Assess
    await expect(openSealed({ file, environment: 'dev', outDir }, kms())).rejects.toThrow(
      `${file}: cannot write ${join(outDir, 'media-dev.tfplan')} (EEXIST): open a sealed plan into a folder that does not hold its files yet.`,
    );
    expect(readFileSync(join(outDir, 'media-dev.tfplan'), 'utf8')).toBe('the plan that was there');
  });

  it('refuses what is not a sealed plan, and a cut one', async () => {
    // Prepare
    const file = await sealed();
    const cut = join(folder(), 'cut.sealed');
    writeFileSync(cut, readFileSync(file).subarray(0, -40));

    // Act / Assess
    await expect(
      openSealed({ file: PLAN_JSON, environment: 'dev', outDir: folder() }, kms()),
    ).rejects.toThrow(
      `${PLAN_JSON}: is not a sealed plan (it does not start with SLWSEAL1); give the .sealed file the plan job uploaded, whole.`,
    );
    await expect(
      openSealed({ file: cut, environment: 'dev', outDir: folder() }, kms()),
    ).rejects.toThrow(
      /cut\.sealed: holds \d+ bytes of ciphertext, but its header lists \d+: the file was cut or changed/,
    );
  });

  it('says which role and permission KMS refused', async () => {
    // Prepare
    kmsMock.on(GenerateDataKeyCommand).rejects(
      new KMSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'User is not authorized to perform: kms:GenerateDataKey',
      }),
    );
    const out = join(folder(), 'x.sealed');

    // Act / Assess
    await expect(
      sealFiles({ key: KEY, environment: 'dev', out, inputs: [PLAN_JSON] }, kms()),
    ).rejects.toThrow(
      `${out}: KMS refused kms:GenerateDataKey on ${KEY} (AccessDeniedException): run it with the dev plan role, which the bootstrap allows kms:GenerateDataKey on the dev delivery key with exactly the encryption context {"slipway:purpose":"plan","slipway:environment":"dev"} (terraform/bootstrap output delivery_key_arns).`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses two inputs of one name', async () => {
    const out = join(folder(), 'x.sealed');
    await expect(
      sealFiles({ key: KEY, environment: 'dev', out, inputs: [PLAN_JSON, PLAN_JSON] }, kms()),
    ).rejects.toThrow('two inputs are named sensitive.json');
    expect(kmsMock.commandCalls(GenerateDataKeyCommand)).toHaveLength(0);
  });
});

describe('parseArgs', () => {
  it('reads seal and open', () => {
    expect(
      parseArgs(['seal', '--key', KEY, '--environment=dev', '--out', 'p.sealed', 'a', 'b']),
    ).toEqual({
      command: 'seal',
      key: KEY,
      environment: 'dev',
      out: 'p.sealed',
      inputs: ['a', 'b'],
    });
    expect(
      parseArgs([
        'open',
        '--environment',
        'dev',
        '--out-dir',
        'd',
        '--expect-sha256',
        'F'.repeat(64),
        'p',
      ]),
    ).toEqual({
      command: 'open',
      environment: 'dev',
      outDir: 'd',
      expectSha256: 'F'.repeat(64),
      file: 'p',
    });
  });

  it.each([
    [['sign', '--key', KEY], 'unknown command "sign"; expected seal or open'],
    [['seal', '--environment', 'dev', '--out', 'o', 'a'], '--key <arn> is required'],
    [
      ['seal', '--key', KEY, '--environment', 'dev', '--out', 'o'],
      'give at least one file to seal',
    ],
    [['open', '--environment', 'dev', '--out-dir', 'd', 'a', 'b'], 'give exactly one sealed file'],
    [['open', '--environment', 'dev', '--out', 'o', 'a'], 'unknown argument "--out" for open'],
    [['open', '--environment', 'Dev!', '--out-dir', 'd', 'a'], 'is not an environment name'],
    [
      ['open', '--environment', 'dev', '--out-dir', 'd', '--expect-sha256', 'abc', 'a'],
      '--expect-sha256 must be 64 hex digits',
    ],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 1 with one line naming the command on a refusal, 2 on bad usage', async () => {
    // Prepare
    const file = await sealed();
    const errors: string[] = [];
    const io = { write: () => undefined, error: (text: string) => errors.push(text) };

    // Act
    const refused = await main(
      [
        'open',
        '--environment',
        'dev',
        '--out-dir',
        folder(),
        '--expect-sha256',
        '0'.repeat(64),
        file,
      ],
      io,
      kms(),
    );
    const usage = await main(['open'], io, kms());

    // Assess
    expect(refused).toBe(1);
    expect(errors[0]).toMatch(
      /^plan-seal: .*media-dev\.tfplan\.sealed has SHA-256 [0-9a-f]{64}, not 0{64}/,
    );
    expect(usage).toBe(2);
  });

  it('prints the sealed file and its SHA-256', async () => {
    // Prepare
    const out = join(folder(), 'media-dev.tfplan.sealed');
    const lines: string[] = [];

    // Act
    const code = await main(
      ['seal', '--key', KEY, '--environment', 'dev', '--out', out, PLAN_BINARY],
      { write: (text) => lines.push(text), error: () => undefined },
      kms(),
    );

    // Assess
    expect(code).toBe(0);
    expect(lines).toEqual([
      `plan-seal: sealed media-dev.tfplan for dev into ${out} (sha256 ${sha256(readFileSync(out))}).\n`,
    ]);
  });
});
