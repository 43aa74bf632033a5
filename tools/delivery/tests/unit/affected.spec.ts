import { affectedStacks, filesForNx, isDocsOrTests, type AffectedInput } from '../../src/affected';
import { UnknownEnvironmentError } from '../../src/errors';
import workspace from '../fixtures/workspace.json';

/** A fresh copy of the fixture workspace with `changes` applied. */
function input(changes: Partial<AffectedInput>): AffectedInput {
  return { ...structuredClone(workspace), ...changes };
}

/** The stack names of a matrix, in order. */
const stacks = (input: AffectedInput) => affectedStacks(input).include.map((e) => e.stack);

const ALL = [
  'etl-dev',
  'etl-prod',
  'etl-staging',
  'media-dev',
  'media-prod',
  'media-staging',
  'platform-dev',
  'platform-prod',
  'platform-staging',
];

describe('affectedStacks', () => {
  it('plans the stacks of the domain of a changed Lambda, one entry per environment', () => {
    // Prepare
    const change = input({
      changedFiles: ['apps/media-probe/src/handler.ts'],
      affectedProjects: ['media-probe'],
    });

    // Act
    const matrix = affectedStacks(change);

    // Assess
    expect(matrix).toEqual({
      include: [
        { stack: 'media-dev', domain: 'media', environment: 'dev' },
        { stack: 'media-prod', domain: 'media', environment: 'prod' },
        { stack: 'media-staging', domain: 'media', environment: 'staging' },
      ],
    });
  });

  it('plans the domains of every Lambda a changed lib affects', () => {
    // Prepare
    const change = input({
      changedFiles: ['libs/etl/src/transform.ts'],
      affectedProjects: ['etl', 'etl-transform', 'etl-reconcile', 'sandbox', 'stacks'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(['etl-dev', 'etl-prod', 'etl-staging']);
  });

  it('plans every stack, platform included, when a Terraform module changes', () => {
    // Prepare
    const change = input({
      changedFiles: ['terraform/modules/bucket/main.tf'],
      affectedProjects: ['tf-bucket', 'stacks'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(ALL);
  });

  it('plans nothing for Terraform outside terraform/modules (the state bootstrap)', () => {
    // Prepare
    const change = input({
      changedFiles: ['terraform/bootstrap/main.tf'],
      affectedProjects: ['tf-bootstrap'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual([]);
  });

  it.each([['terraform/stacks/src/domain-stack.ts'], ['terraform/stacks/environments.json']])(
    'plans every stack when %s changes',
    (file) => {
      // Prepare
      const change = input({ changedFiles: [file], affectedProjects: ['stacks'] });

      // Act
      const result = stacks(change);

      // Assess
      expect(result).toEqual(ALL);
    },
  );

  it('plans a domain declared with no Lambdas yet (a new domain) when stacks change', () => {
    // Prepare
    const change = input({
      changedFiles: ['terraform/stacks/src/domains/index.ts'],
      affectedProjects: ['stacks'],
      domains: ['platform', 'media', 'etl', 'billing'],
      environments: ['dev'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(['billing-dev', 'etl-dev', 'media-dev', 'platform-dev']);
  });

  it('plans nothing for a docs-only change, whatever Nx calls affected', () => {
    // Prepare
    const change = input({
      changedFiles: ['README.md', 'terraform/modules/bucket/README.md', 'docs/delivery.MD'],
      affectedProjects: ['tf-bucket', 'media-probe'],
    });

    // Act
    const matrix = affectedStacks(change);

    // Assess
    expect(matrix).toEqual({ include: [] });
  });

  it('plans nothing for a tests-only change', () => {
    // Prepare
    const change = input({
      changedFiles: [
        'libs/observability/tests/unit/logger.spec.ts',
        'terraform/modules/bucket/tests/bucket.tftest.hcl',
        'apps/media-probe/tests/events/s3/upload.json',
      ],
      affectedProjects: ['observability', 'media-probe', 'etl-transform', 'tf-bucket'],
    });

    // Act
    const matrix = affectedStacks(change);

    // Assess
    expect(matrix).toEqual({ include: [] });
  });

  it('plans the domain of a deleted Lambda, read from its manifest at base', () => {
    // Prepare
    const lambdasAtHead = { ...workspace.lambdasAtHead } as Record<string, string>;
    delete lambdasAtHead['etl-reconcile'];
    const change = input({
      changedFiles: [
        'apps/etl-reconcile/lambda.manifest.json',
        'apps/etl-reconcile/src/handler.ts',
      ],
      affectedProjects: ['stacks'],
      lambdasAtHead,
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(['etl-dev', 'etl-prod', 'etl-staging']);
  });

  it('plans both domains of a Lambda whose manifest moved it to another domain', () => {
    // Prepare
    const change = input({
      changedFiles: ['apps/media-probe/lambda.manifest.json'],
      affectedProjects: ['media-probe'],
      lambdasAtHead: { ...workspace.lambdasAtHead, 'media-probe': 'etl' },
      environments: ['prod'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(['etl-prod', 'media-prod']);
  });

  it('keeps only the environments asked for', () => {
    // Prepare
    const change = input({
      changedFiles: ['apps/media-probe/src/handler.ts'],
      affectedProjects: ['media-probe'],
      environments: ['staging', 'dev'],
    });

    // Act
    const result = stacks(change);

    // Assess
    expect(result).toEqual(['media-dev', 'media-staging']);
  });

  it('rejects an unknown environment name, naming it and the known ones', () => {
    // Prepare
    const change = input({
      changedFiles: ['README.md'],
      environments: ['dev', 'qa'],
    });

    // Act
    const act = () => affectedStacks(change);

    // Assess
    expect(act).toThrow(UnknownEnvironmentError);
    expect(act).toThrow(
      'unknown environment "qa" in --environments; terraform/stacks/environments.json declares dev, staging, prod',
    );
  });
});

describe('isDocsOrTests', () => {
  it.each([
    ['README.md', true],
    ['libs/media/tests/unit/probe.spec.ts', true],
    ['tools/x/src/thing.test.ts', true],
    ['terraform/modules/bucket/tests/main.tftest.hcl', true],
    ['libs/media/src/probe.ts', false],
    ['terraform/modules/bucket/main.tf', false],
    ['libs/testsuite/src/index.ts', false],
  ])('%s → %s', (file, expected) => {
    // Prepare
    // Act
    const result = isDocsOrTests(file);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('filesForNx', () => {
  it("keeps code files and drops docs, tests and a deleted Lambda's files", () => {
    // Prepare
    const { 'etl-reconcile': _deleted, ...lambdasAtHead } = workspace.lambdasAtHead;
    const changed = [
      'apps/etl-reconcile/src/handler.ts',
      'apps/etl-transform/src/handler.ts',
      'libs/etl/README.md',
      'libs/etl/tests/unit/x.spec.ts',
      'libs/etl/src/index.ts',
    ];

    // Act
    const files = filesForNx(changed, lambdasAtHead, workspace.lambdasAtBase);

    // Assess
    expect(files).toEqual(['apps/etl-transform/src/handler.ts', 'libs/etl/src/index.ts']);
  });
});
