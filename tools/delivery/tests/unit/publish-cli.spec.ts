import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnknownEnvironmentError, UsageError } from '../../src/errors';
import { artifactTarget, main, parseArgs } from '../../src/publish-artifacts';

const REPO = join(__dirname, '../../../..');

describe('publish-artifacts parseArgs', () => {
  it('reads the flags in either form, with table output by default', () => {
    // Act
    const args = parseArgs([
      '--environment=dev',
      '--bucket',
      'b-1',
      '--dry-run',
      '--endpoint',
      'http://127.0.0.1:1',
    ]);

    // Assess
    expect(args).toEqual({
      environment: 'dev',
      bucket: 'b-1',
      dryRun: true,
      format: 'table',
      endpoint: 'http://127.0.0.1:1',
    });
  });

  it.each([
    [[], '--environment <env> is required'],
    [['--environment'], '--environment needs a value'],
    [['--environment', 'dev', '--format', 'yaml'], '--format must be table or json'],
    [['--environment', 'dev', '--env', 'x'], 'unknown argument "--env"'],
  ])('rejects %j', (argv, message) => {
    // Act
    const act = () => parseArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});

describe('artifactTarget', () => {
  it('derives the bucket and region of an environment from environments.json', () => {
    expect(artifactTarget(REPO, 'prod')).toEqual({
      bucket: 'slipway-artifacts-333333333333',
      region: 'eu-west-1',
    });
  });

  it('names the environments that exist for an unknown one', () => {
    expect(() => artifactTarget(REPO, 'qa')).toThrow(UnknownEnvironmentError);
    expect(() => artifactTarget(REPO, 'qa')).toThrow(
      'unknown environment "qa" in --environment; terraform/stacks/environments.json declares dev, staging, prod',
    );
  });
});

describe('publish-artifacts main', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { write: (s: string) => void out.push(s), error: (s: string) => void err.push(s) },
    };
  };

  it('exits 2 with the usage on a bad flag and on an unknown environment', async () => {
    // Prepare
    const bad = capture();
    const unknown = capture();

    // Act
    const badCode = await main(['--bucket', 'x'], bad.io, REPO);
    const unknownCode = await main(['--environment', 'qa'], unknown.io, REPO);

    // Assess
    expect(badCode).toBe(2);
    expect(bad.err.join('')).toContain('Usage: publish-artifacts');
    expect(unknownCode).toBe(2);
    expect(unknown.err.join('')).toContain('unknown environment "qa"');
  });

  it('exits 1 naming the missing zip before any call to S3', async () => {
    // Prepare: a workspace with the real environments.json and a Lambda that was never packaged.
    const root = mkdtempSync(join(tmpdir(), 'delivery-cli-'));
    mkdirSync(join(root, 'terraform/stacks'), { recursive: true });
    cpSync(
      join(REPO, 'terraform/stacks/environments.json'),
      join(root, 'terraform/stacks/environments.json'),
    );
    cpSync(
      join(REPO, 'apps/etl-publish/lambda.manifest.json'),
      join(root, 'apps/etl-publish/lambda.manifest.json'),
    );
    const run = capture();

    // Act
    const code = await main(
      ['--environment', 'dev', '--endpoint', 'http://127.0.0.1:9'],
      run.io,
      root,
    );

    // Assess
    expect(code).toBe(1);
    expect(run.err.join('')).toContain(
      'dist/apps/etl-publish/etl-publish.zip is missing: package the Lambda first',
    );
    rmSync(root, { recursive: true, force: true });
  });
});
