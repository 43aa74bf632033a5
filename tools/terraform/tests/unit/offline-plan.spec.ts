import {
  mayPlanWithoutLockFile,
  offlineOverride,
  planArgs,
  summarizePlan,
} from '../../src/offline-plan';

describe('offlineOverride', () => {
  it('swaps in a local backend and placeholder credentials and skips every AWS call', () => {
    const override = offlineOverride('/tmp/x/offline.tfstate');

    expect(override.terraform).toEqual({ backend: { local: { path: '/tmp/x/offline.tfstate' } } });
    expect((override.provider as { aws: Record<string, unknown>[] }).aws[0]).toEqual({
      access_key: 'offline-plan',
      secret_key: 'offline-plan',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      allowed_account_ids: null,
    });
  });
});

describe('summarizePlan', () => {
  it('counts creates, updates, deletes, replaces and no-ops like a reviewer reads them', () => {
    const change = (...actions: string[]) => ({ change: { actions } });

    const summary = summarizePlan({
      resource_changes: [
        change('create'),
        change('create'),
        change('update'),
        change('delete'),
        change('delete', 'create'),
        change('create', 'delete'),
        change('no-op'),
        change('read'),
      ],
    });

    expect(summary).toEqual({ create: 2, update: 1, delete: 1, replace: 2, noop: 2 });
  });

  it('handles a plan without changes', () => {
    expect(summarizePlan({})).toEqual({ create: 0, update: 0, delete: 0, replace: 0, noop: 0 });
  });
});

describe('planArgs', () => {
  it('plans without refresh against a prior state, only the targets, with the variables', () => {
    const args = planArgs(
      {
        dir: '/root',
        outFile: '/out.json',
        priorState: '/state.json',
        targets: ['module.lambda_a'],
        varFiles: ['dev.tfvars'],
        vars: { name: 'x' },
      },
      '/tmp/plan.tfplan',
    );

    expect(args).toEqual([
      'plan',
      '-input=false',
      '-lock=false',
      '-no-color',
      '-out=/tmp/plan.tfplan',
      '-refresh=false',
      '-target=module.lambda_a',
      '-var-file=dev.tfvars',
      '-var=name=x',
    ]);
  });

  it('refreshes and plans everything without a prior state or targets', () => {
    expect(planArgs({ dir: '/root', outFile: '/out.json' }, '/p')).toEqual([
      'plan',
      '-input=false',
      '-lock=false',
      '-no-color',
      '-out=/p',
    ]);
  });
});

describe('mayPlanWithoutLockFile', () => {
  // Terraform's message as it prints it: wrapped at 80 columns.
  const mismatch = `Error while installing hashicorp/aws v5.100.0: the local package for
registry.terraform.io/hashicorp/aws 5.100.0 doesn't match any of the
checksums previously recorded in the dependency lock file (this might be
because the available checksums are for packages targeting different
platforms)`;

  it('retries without the lock file only outside CI and only for a missing platform checksum', () => {
    expect(mayPlanWithoutLockFile(mismatch, {})).toBe(true);
    expect(mayPlanWithoutLockFile(mismatch, { CI: 'true' })).toBe(false);
    expect(mayPlanWithoutLockFile('Error: Failed to query available provider packages', {})).toBe(
      false,
    );
  });
});
