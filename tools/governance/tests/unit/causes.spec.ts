/**
 * Issue 16: the causes of the misreadings found against public checkov / trivy fixtures, each
 * reproduced by a fixture of our own (tests/fixtures/causes/<cause>) that gave the wrong answer
 * before the fix. Every expectation pins the exact findings (rule, severity, address,
 * file:line, message) and warnings.
 */
import path from 'node:path';
import { main } from '../../src/cli';
import { scan, type ScanOptions } from '../../src/engine';
import type { ProfileName } from '../../src/profiles';
import type { Finding } from '../../src/rules/types';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../..')));

/** The fixture folder of a cause, relative to the repo root (as findings name files). */
const cause = (name: string) => `tools/governance/tests/fixtures/causes/${name}`;

/** One line per finding: rule, severity, address, file:line, message. */
const lines = (findings: Finding[]) =>
  findings
    .map(
      (f) =>
        `${f.ruleId} ${f.severity} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`,
    )
    .sort();

async function run(
  options: Pick<ScanOptions, 'hcl' | 'plans' | 'tfJson'>,
  profile: ProfileName,
  onlyRules: string[],
): Promise<{ findings: string[]; warnings: string[] }> {
  const result = await scan({ ...options, profile, onlyRules, allowDestroy: [] });
  return { findings: lines(result.findings), warnings: [...result.warnings].sort() };
}

const NO_DEFAULT = '(the variable has no default and no value is passed to it)';

describe('cause: an unknown value passed as if it were good (unknown is not pass)', () => {
  const dir = cause('unknown-not-pass');
  const file = `${dir}/main.tf`;
  const rules = ['SLW-LOGS-001', 'SLW-SQS-001', 'SLW-LAMBDA-001', 'SLW-DDB-002'];
  const unverified = [
    [
      'SLW-DDB-002',
      'aws_dynamodb_table.unknown',
      65,
      `cannot verify point-in-time recovery of aws_dynamodb_table.unknown because var.pitr is unknown ${NO_DEFAULT}.`,
    ],
    [
      'SLW-LAMBDA-001',
      'aws_lambda_function.unknown',
      53,
      `cannot verify tracing of aws_lambda_function.unknown because var.tracing_mode is unknown ${NO_DEFAULT}.`,
    ],
    [
      'SLW-LOGS-001',
      'aws_cloudwatch_log_group.unknown',
      21,
      `cannot verify log retention of aws_cloudwatch_log_group.unknown because var.retention_days is unknown ${NO_DEFAULT}.`,
    ],
    [
      'SLW-SQS-001',
      'aws_sqs_queue.unknown',
      43,
      `cannot verify encryption of aws_sqs_queue.unknown because var.queue_key is unknown ${NO_DEFAULT}.`,
    ],
  ] as const;

  it('strict: each unknown is a finding at the profile severity (high), beside the known-bad one; a key from a resource is set', async () => {
    expect(await run({ hcl: [dir] }, 'strict', rules)).toEqual({
      findings: [
        ...unverified.map(
          ([id, address, line, msg]) => `${id} high ${address} main.tf:${line} ${msg}`,
        ),
        'SLW-LOGS-001 medium aws_cloudwatch_log_group.bad main.tf:33 retention_in_days is 7; the strict profile requires at least 365.',
      ].sort(),
      warnings: [],
    });
  });

  it('baseline: each unknown is a warning naming file:line, and the run does not fail on it', async () => {
    expect(await run({ hcl: [dir] }, 'baseline', rules)).toEqual({
      findings: [
        'SLW-LOGS-001 medium aws_cloudwatch_log_group.bad main.tf:33 retention_in_days is 7; the baseline profile requires at least 30.',
      ],
      warnings: unverified
        .map(([id, address, line, msg]) => `${id} ${address} (${file}:${line}): ${msg}`)
        .sort(),
    });
  });

  it('the finding says what to give a value and keeps the expression', async () => {
    const result = await scan({ hcl: [dir], profile: 'strict', onlyRules: ['SLW-SQS-001'] });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'SLW-SQS-001',
        address: 'aws_sqs_queue.unknown',
        file,
        line: 43,
        unverified: { expression: 'var.queue_key' },
        fix: expect.stringMatching(/^Give var\.queue_key a value governance can read/),
      }),
    ]);
  });
});

describe('cause: a dynamic block whose for_each is unknown was skipped (each branch is evaluated)', () => {
  const dir = cause('dynamic-branches');
  const file = `${dir}/main.tf`;
  const rules = ['SLW-S3-001', 'SLW-DDB-001', 'SLW-APIGW-005'];
  const allFail =
    'SLW-S3-001 high aws_s3_bucket.all_fail main.tf:17 sse_algorithm "AES512" is not one of AES256, aws:kms, aws:kms:dsse. This holds in every branch of the dynamic blocks of aws_s3_bucket_server_side_encryption_configuration.all_fail, whose for_each var.encryption_rules is unknown.';
  const unsure = [
    [
      'SLW-DDB-001',
      'aws_dynamodb_table.conditional',
      68,
      'cannot verify encryption of aws_dynamodb_table.conditional because var.encrypt ? [1] : [] is unknown (the for_each of dynamic "server_side_encryption" is unknown).',
    ],
    [
      'SLW-S3-001',
      'aws_s3_bucket.from_iterator',
      51,
      'cannot verify default encryption of aws_s3_bucket.from_iterator because var.encryption_rules is unknown (the for_each of dynamic "rule" is unknown).',
    ],
    [
      'SLW-S3-001',
      'aws_s3_bucket.one_passes',
      34,
      'cannot verify default encryption of aws_s3_bucket.one_passes because var.encryption_rules is unknown (the for_each of dynamic "rule" is unknown).',
    ],
  ] as const;

  it('every branch failing is a finding in both profiles; one branch passing is "cannot verify"; every branch passing is a pass', async () => {
    expect(await run({ hcl: [dir] }, 'strict', rules)).toEqual({
      findings: [
        allFail,
        ...unsure.map(([id, address, line, msg]) => `${id} high ${address} main.tf:${line} ${msg}`),
      ].sort(),
      warnings: [],
    });
    expect(await run({ hcl: [dir] }, 'baseline', rules)).toEqual({
      findings: [allFail],
      warnings: unsure
        .map(([id, address, line, msg]) => `${id} ${address} (${file}:${line}): ${msg}`)
        .sort(),
    });
  });
});

describe('cause: optional() attributes a caller left out were missing, so every expression reading them was unknown', () => {
  it('the omitted attribute takes its default and the policy is judged (administrator access found)', async () => {
    const dir = cause('optional-attributes');
    for (const profile of ['baseline', 'strict'] as const)
      expect(await run({ hcl: [dir] }, profile, ['SLW-IAM-001'])).toEqual({
        findings: [
          'SLW-IAM-001 critical aws_iam_role_policy.this main.tf:19 statement Admin allows "*" on "*" (administrator access).',
        ],
        warnings: [],
      });
  });
});

describe('cause: a bucket and its configuration tied by a shared variable or local (no reference) were not linked', () => {
  it('links them through the same expression, per instance under count, and judges the linked flags', async () => {
    const dir = cause('link-by-expression');
    for (const profile of ['baseline', 'strict'] as const)
      expect(await run({ hcl: [dir] }, profile, ['SLW-S3-002'])).toEqual({
        findings: [
          'SLW-S3-002 critical aws_s3_bucket.logs main.tf:31 public access block flags not true: block_public_policy.',
          'SLW-S3-002 critical aws_s3_bucket.other main.tf:59 no aws_s3_bucket_public_access_block is linked to this bucket.',
          'SLW-S3-002 critical aws_s3_bucket.tenant[1] main.tf:44 public access block flags not true: ignore_public_acls.',
        ],
        warnings: [],
      });
  });
});

describe('cause: one block that does not parse made the whole folder exit 2', () => {
  it('reports the block (file:line, parse error) and still checks every other block of the folder', async () => {
    const dir = cause('unparseable-block');
    expect(
      await run({ hcl: [dir] }, 'baseline', ['SLW-HCL-001', 'SLW-SQS-001', 'SLW-SNS-001']),
    ).toEqual({
      findings: [
        'SLW-HCL-001 critical aws_sqs_queue.broken main.tf:7 aws_sqs_queue.broken does not parse: Invalid multi-line string: Quoted strings may not be split over multiple lines.',
        'SLW-SNS-001 medium aws_sns_topic.plain other.tf:1 kms_master_key_id is not set.',
        'SLW-SQS-001 medium aws_sqs_queue.plain main.tf:10 neither sqs_managed_sse_enabled nor kms_master_key_id is set.',
      ],
      warnings: [],
    });
  });
});

const IAM_RULES = ['SLW-IAM-001', 'SLW-IAM-002', 'SLW-IAM-005', 'SLW-IAM-006'];

describe('cause: data "aws_iam_policy_document" was only evaluated through a resource that used it', () => {
  it('checks each document at its own address, also one a module only outputs; a policy built from a document is reported once, on the document', async () => {
    const dir = cause('policy-document-module');
    for (const profile of ['baseline', 'strict'] as const)
      expect(await run({ hcl: [dir] }, profile, IAM_RULES)).toEqual({
        findings: [
          'SLW-IAM-001 critical data.aws_iam_policy_document.admin main.tf:3 statement Everything allows "*" on "*" (administrator access).',
          'SLW-IAM-002 high data.aws_iam_policy_document.wild main.tf:20 statement AllS3 allows wildcard action(s) s3:*.',
        ],
        warnings: [],
      });
  });
});

describe('cause: a heredoc policy that is not JSON (trailing commas) was read as absent', () => {
  it('is a finding naming the resource, its file:line and the place in the document', async () => {
    const dir = cause('invalid-policy-json');
    for (const profile of ['baseline', 'strict'] as const)
      expect(await run({ hcl: [dir] }, profile, IAM_RULES)).toEqual({
        findings: [
          'SLW-IAM-005 high aws_iam_role_policy.trailing_comma main.tf:2 policy is not valid JSON: a trailing comma at line 7 column 22 of the document.',
          'SLW-IAM-005 high aws_s3_bucket_policy.media main.tf:23 policy is not valid JSON: a trailing comma at line 4 column 78 of the document.',
        ],
        warnings: [],
      });
  });
});

describe('cause: policy-bearing resource types no rule read', () => {
  it('reads permission set inline policies and managed policy attachments, and queue / topic policy wildcards', async () => {
    const dir = cause('policy-bearing-types');
    for (const profile of ['baseline', 'strict'] as const)
      expect(await run({ hcl: [dir] }, profile, IAM_RULES)).toEqual({
        findings: [
          'SLW-IAM-001 critical aws_ssoadmin_managed_policy_attachment.admin main.tf:11 attaches arn:aws:iam::aws:policy/AdministratorAccess to a permission set.',
          'SLW-IAM-001 critical aws_ssoadmin_permission_set_inline_policy.admin main.tf:2 statement All allows "*" on "*" (administrator access).',
          'SLW-IAM-006 high aws_sns_topic_policy.wild main.tf:37 statement #1 of the policy allows wildcard action(s) *.',
          'SLW-IAM-006 high aws_sqs_queue_policy.wild main.tf:23 statement Anything of the policy allows wildcard action(s) sqs:*.',
        ],
        warnings: [],
      });
  });
});

describe('cause: strict demanded SSE-KMS on access-log targets, and log buckets were only recognised by a literal name', () => {
  const dir = cause('access-log-targets');
  const kmsOnLogs =
    'SLW-S3-001 high aws_s3_bucket.acl_logs main.tf:65 the bucket receives S3 server access logs (aws_s3_bucket_acl.acl_logs grants log-delivery-write) but its default encryption is "aws:kms": log delivery does not support SSE-KMS.';

  it('strict: targets found by reference, inline logging, log-delivery ACL and logging.s3 policy pass with SSE-S3 and need no logging of their own; KMS on a target is the finding', async () => {
    expect(await run({ hcl: [dir] }, 'strict', ['SLW-S3-001', 'SLW-S3-004'])).toEqual({
      findings: [
        kmsOnLogs,
        'SLW-S3-001 high aws_s3_bucket.plain main.tf:112 default encryption is "AES256"; the strict profile requires SSE-KMS with a customer managed key.',
      ],
      warnings: [],
    });
  });

  it('baseline: only the SSE-KMS log target (its log delivery fails in every profile)', async () => {
    expect(await run({ hcl: [dir] }, 'baseline', ['SLW-S3-001', 'SLW-S3-004'])).toEqual({
      findings: [kmsOnLogs],
      warnings: [],
    });
  });
});

describe('cause: rules narrower than the check they name, or naming a check that tests another property', () => {
  it('SLW-IAM-004 reports trust to an account root (CKV_AWS_61), SLW-LAMBDA-008 every service principal without a scoped source_arn (AVD-AWS-0067)', async () => {
    const dir = cause('narrow-rules');
    expect(await run({ hcl: [dir] }, 'baseline', ['SLW-IAM-004', 'SLW-LAMBDA-008'])).toEqual({
      findings: [
        'SLW-IAM-004 critical aws_iam_role.bare_account main.tf:17 statement #1 of assume_role_policy trusts 123456789012: every identity of that account whose own policy allows sts:AssumeRole can assume the role.',
        'SLW-IAM-004 critical aws_iam_role.root_trust main.tf:4 statement Account of assume_role_policy trusts arn:aws:iam::123456789012:root: every identity of that account whose own policy allows sts:AssumeRole can assume the role.',
        'SLW-LAMBDA-008 high aws_lambda_permission.from_s3 main.tf:56 principal s3.amazonaws.com without source_arn: any resource of s3 of any account can invoke the function.',
        'SLW-LAMBDA-008 high aws_lambda_permission.from_sns main.tf:63 source_arn "arn:aws:sns:eu-west-1:123456789012:*" has a wildcard where it must name one resource of sns.',
      ],
      warnings: [],
    });
  });

  it('SLW-LAMBDA-007 names the check it implements (CKV_AWS_301, not CKV_AWS_364 / AVD-AWS-0067), and the rules command prints each deliberate difference', async () => {
    const out: string[] = [];
    expect(await main(['rules'], { write: (s) => out.push(s), error: () => undefined })).toBe(0);
    const line = (id: string) =>
      out
        .join('')
        .split('\n')
        .find((l) => l.startsWith(`${id}\t`));
    expect(line('SLW-LAMBDA-007')).toBe(
      "SLW-LAMBDA-007\tcritical\tbaseline,strict\tLambda permission is not public\tcheckov: CKV_AWS_301\ttrivy: -\tdiffers: principal '*' with a source_arn or source_account passes (CKV_AWS_301 flags every '*').",
    );
    expect(line('SLW-S3-004')).toBe(
      'SLW-S3-004\tmedium\tstrict\tS3 bucket has access logging\tcheckov: CKV_AWS_18\ttrivy: AVD-AWS-0089\tdiffers: access-log target buckets need no logging of their own (checkov flags them).',
    );
  });
});
