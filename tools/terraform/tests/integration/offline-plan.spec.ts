/**
 * planOffline and the dependency lock file, with the real terraform binary (offline, no cloud):
 * a root whose `.terraform.lock.hcl` holds no checksum for this machine's provider package (as
 * the committed linux_amd64 one reads on a Mac; here a checksum of no real package stands in) is
 * planned outside CI without the lock file, which is then back byte for byte; in CI the same
 * root fails, naming the checksum mismatch.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE, planOffline } from '../../src/offline-plan';

/** A lock file for the mirror's aws 5.100.0 whose only checksum matches no package. */
const FOREIGN_LOCK = `provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = ">= 5.70.0, < 7.0.0"
  hashes = [
    "h1:AAAAJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}
`;

const ROOT = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.70, < 7.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_sqs_queue" "this" {
  name = "slipway-offline-plan-lock"
}
`;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A root with {@link ROOT} and {@link FOREIGN_LOCK}. */
async function rootWithForeignLock(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-lock-'));
  dirs.push(dir);
  await writeFile(join(dir, 'main.tf'), ROOT);
  await writeFile(join(dir, LOCK_FILE), FOREIGN_LOCK);
  return dir;
}

/** Runs `fn` with CI set to `value` (undefined: unset), restoring the variable afterwards. */
async function withCi<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env.CI;
  if (value === undefined) delete process.env.CI;
  else process.env.CI = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.CI;
    else process.env.CI = before;
  }
}

describe('planOffline with a lock file that lacks this platform', () => {
  it('plans outside CI without the lock file, warns how to add the platform, and puts the file back', async () => {
    const dir = await rootWithForeignLock();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    const { summary } = await withCi(undefined, () =>
      planOffline({ dir, outFile: join(dir, 'plan.json') }),
    );

    expect(summary).toEqual({ create: 1, update: 0, delete: 0, replace: 0, noop: 0 });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(FOREIGN_LOCK);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `${dir}: ${LOCK_FILE} has no provider checksum for this platform; planning offline without it (it is restored afterwards). To add this platform: terraform providers lock -platform=<os>_<arch>`,
      ),
    );
    warn.mockRestore();
  });

  it('fails in CI, naming the checksum mismatch, and leaves the lock file as it was', async () => {
    const dir = await rootWithForeignLock();

    await expect(
      withCi('true', () => planOffline({ dir, outFile: join(dir, 'plan.json') })),
    ).rejects.toThrow(
      /doesn't match any of the\s+checksums previously recorded in the dependency lock file/,
    );
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(FOREIGN_LOCK);
  });
});
