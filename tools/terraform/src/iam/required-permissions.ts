/**
 * What a Terraform plan needs from IAM: every managed resource and data source of a plan
 * (`terraform show -json`), turned into authorization requests (action, ARN, condition context)
 * with the reviewed map in terraform/bootstrap/tests/provider-actions.json.
 */
import type { AuthorizationRequest } from './evaluate';

/** When a request is made: refreshing (plan role and deploy role) or applying (deploy role). */
export type Phase = 'read' | 'write';

/** An ARN template, or alternatives tried in order (`when` compares planned attributes). */
export type ArnSpec = string | { when?: Record<string, unknown>; arn: string }[];

/** One entry of provider-actions.json. */
export interface TypeActions {
  docs: string[];
  note?: string;
  arn?: ArnSpec;
  context?: Record<string, string>;
  read: string[];
  write?: string[];
  also?: {
    phase: Phase;
    action: string;
    arn: string;
    context?: Record<string, string>;
    /**
     * Skip this request when the planned attribute is known to be null: an EventBridge target
     * without `role_arn` (a Lambda target, invoked through its resource policy) passes no role.
     * An attribute unknown until apply (absent from `after`) keeps the request.
     */
    unlessNull?: string;
  }[];
}

/** provider-actions.json. */
export interface ProviderActions {
  resourceTypes: Record<string, TypeActions>;
  dataSources: Record<string, TypeActions>;
}

/** Where the resources live: the values of `{partition}`, `{region}` and `{account}`. */
export interface Placement {
  partition: string;
  region: string;
  account: string;
}

/** One authorization request and the resource that needs it. */
export interface RequiredPermission extends AuthorizationRequest {
  phase: Phase;
  /** `<stack> <resource address>` */
  source: string;
  type: string;
}

/** The subset of `terraform show -json` read here. */
export interface PlanJson {
  resource_changes?: {
    address: string;
    module_address?: string;
    mode: 'managed' | 'data';
    type: string;
    change: {
      actions: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    };
  }[];
}

/** The map cannot answer for a resource: missing type, unknown attribute, ambiguous sibling. */
export class ProviderActionsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderActionsError';
  }
}

type Change = NonNullable<PlanJson['resource_changes']>[number];

/** A context attribute the resource has as null (e.g. no permissions_boundary). */
class AbsentValue extends Error {}

const MAP_FILE = 'terraform/bootstrap/tests/provider-actions.json';

function values(rc: Change): Record<string, unknown> {
  return rc.change.after ?? rc.change.before ?? {};
}

/**
 * Turns one plan into the requests Terraform will make for it. Throws ProviderActionsError for
 * a type missing from the map, naming every such type, so the map cannot silently fall behind.
 */
export function requiredPermissions(
  stack: string,
  plan: PlanJson,
  map: ProviderActions,
  placement: Placement,
): RequiredPermission[] {
  // Every change, data sources read during apply included: each one is an API call.
  const changes = plan.resource_changes ?? [];
  const missing = [
    ...new Set(
      changes
        .filter((rc) =>
          rc.mode === 'managed' ? !map.resourceTypes[rc.type] : !map.dataSources[rc.type],
        )
        .map((rc) => `${rc.mode === 'managed' ? 'resource' : 'data source'} ${rc.type}`),
    ),
  ];
  if (missing.length > 0)
    throw new ProviderActionsError(
      `${stack}: ${missing.join(', ')} not in ${MAP_FILE}. Add each with the IAM actions the AWS ` +
        'provider calls to read, create, update and delete it (and the ARN they are authorized ' +
        'on), then make terraform/bootstrap/iam.tf allow them.',
    );

  const render = (template: string, rc: Change, seen: string[] = [], optional = false): string =>
    template.replace(/\{([a-z0-9_.]+)\}/g, (_, token: string) => {
      if (token in placement) return placement[token as keyof Placement];
      // {aws_type.x…} reads the sibling resource; the rest is an attribute path into maps
      // ({tags_all.environment}: the environment tag a tag-conditioned request carries).
      const path = token.split('.');
      const first = path[0].startsWith('aws_') ? path.shift() : undefined;
      const target = first ? sibling(rc, first) : rc;
      if (first && path.length === 1 && path[0] === 'arn')
        return arnOf(target, [...seen, rc.address]);
      let value: unknown = values(target);
      // A key missing from a known map is absent (an untagged resource), not unknown.
      let absent = false;
      for (const [i, key] of path.entries()) {
        const known = value !== null && typeof value === 'object';
        value = known ? (value as Record<string, unknown>)[key] : undefined;
        absent = known && value === undefined && i > 0;
      }
      if (optional && (value === null || absent)) throw new AbsentValue();
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new ProviderActionsError(
          `${stack} ${rc.address}: {${token}} is ${value === undefined ? 'unknown until apply' : JSON.stringify(value)}; ` +
            `take it from a resource of the same module ({aws_type.${path.join('.')}}) in ${MAP_FILE}.`,
        );
      return String(value);
    });

  const sibling = (rc: Change, type: string): Change => {
    const found = changes.filter(
      (o) => o.mode === 'managed' && o.type === type && o.module_address === rc.module_address,
    );
    if (found.length !== 1)
      throw new ProviderActionsError(
        `${stack} ${rc.address}: needs the one ${type} of ${rc.module_address ?? 'the root module'}, found ${found.length}.`,
      );
    return found[0];
  };

  const arnOf = (rc: Change, seen: string[] = []): string => {
    if (seen.includes(rc.address))
      throw new ProviderActionsError(`${stack} ${rc.address}: ARN templates refer to each other.`);
    const spec = (rc.mode === 'data' ? map.dataSources : map.resourceTypes)[rc.type]?.arn;
    if (!spec) throw new ProviderActionsError(`${stack} ${rc.address}: no arn in ${MAP_FILE}.`);
    if (typeof spec === 'string') return render(spec, rc, seen);
    const v = values(rc);
    // A `when` of null also matches an attribute unknown until apply (absent from `after`).
    const pick = spec.find((s) =>
      Object.entries(s.when ?? {}).every(([k, e]) => (v[k] ?? null) === e),
    );
    if (!pick)
      throw new ProviderActionsError(
        `${stack} ${rc.address}: no arn alternative in ${MAP_FILE} matches.`,
      );
    return render(pick.arn, rc, seen);
  };

  // S3 puts the account that owns the bucket in every request's context (s3:ResourceAccount):
  // the stacks' buckets, state and artifacts are all in the placement's account.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
  const withS3Account = (action: string, context: Record<string, string>) =>
    action.toLowerCase().startsWith('s3:')
      ? { ...context, 's3:ResourceAccount': placement.account }
      : context;

  const out: RequiredPermission[] = [];
  for (const rc of changes) {
    const spec = rc.mode === 'managed' ? map.resourceTypes[rc.type] : map.dataSources[rc.type];
    const own = [
      ...spec.read.map((action) => ({ phase: 'read' as const, action })),
      ...(spec.write ?? []).map((action) => ({ phase: 'write' as const, action })),
    ];
    const source = `${stack} ${rc.address}`;
    // A context value the resource does not have (a role without a boundary) is left out of
    // the request, as AWS does: conditions on it then do not match.
    const contextOf = (templates: Record<string, string> | undefined) =>
      Object.fromEntries(
        Object.entries(templates ?? {}).flatMap(([k, v]) => {
          try {
            return [[k, render(v, rc, [], true)]];
          } catch (error) {
            if (error instanceof AbsentValue) return [];
            throw error;
          }
        }),
      );
    if (own.length > 0) {
      const resource = arnOf(rc);
      const context = contextOf(spec.context);
      for (const { phase, action } of own)
        out.push({
          phase,
          action,
          resource,
          context: withS3Account(action, context),
          source,
          type: rc.type,
        });
    }
    for (const extra of spec.also ?? []) {
      const v = values(rc);
      if (extra.unlessNull && Object.hasOwn(v, extra.unlessNull) && v[extra.unlessNull] === null)
        continue;
      out.push({
        phase: extra.phase,
        action: extra.action,
        resource: render(extra.arn, rc),
        // Rendered like the type's own context: {name} of a create request (ApiName keys).
        context: withS3Account(extra.action, contextOf(extra.context)),
        source,
        type: rc.type,
      });
    }
  }
  return out;
}
