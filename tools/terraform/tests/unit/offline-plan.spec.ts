import { offlineOverride, summarizePlan } from '../../src/offline-plan';

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
