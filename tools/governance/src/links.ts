/**
 * Links between resources that belong together, so rules can ask "does this bucket have a
 * public access block?" rather than "is there any public access block?".
 *
 * A child resource is linked to its parent when (1) the child's attribute references the parent
 * (`bucket = aws_s3_bucket.this.id` in HCL or Terraform JSON; `configuration` references in a
 * plan), or (2) the attribute's known value equals one of the parent's identifying values (a
 * plan where the bucket name is a literal), or (3) both attributes are written as the same
 * expression (`bucket = var.bucket_name` on the bucket and on its configuration, with or
 * without a value). The searches stay inside the same input; (1) and (3) also inside the same
 * module.
 */
import { isUnknown, type GovernanceModel, type Resource } from './model';

/** One kind of link: `from.attribute` points at a `to` resource whose `match` values identify it. */
export interface LinkSpec {
  from: string;
  /** Attribute path on the child; dots descend into (first) nested blocks. */
  attribute: string;
  to: string;
  /** Parent attributes whose values the child's attribute may equal. */
  match: string[];
  /** Extra value forms, e.g. `/aws/lambda/<function_name>` for a log group's name. */
  derive?: (parent: Resource) => string[];
}

const S3_CHILDREN = [
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_notification',
  'aws_s3_bucket_acl',
];

/** The links governance knows about. */
export const LINK_SPECS: LinkSpec[] = [
  ...S3_CHILDREN.map((from) => ({
    from,
    attribute: 'bucket',
    to: 'aws_s3_bucket',
    match: ['bucket', 'id'],
  })),
  { from: 'aws_iam_role_policy', attribute: 'role', to: 'aws_iam_role', match: ['name', 'id'] },
  {
    from: 'aws_iam_role_policy_attachment',
    attribute: 'role',
    to: 'aws_iam_role',
    match: ['name', 'id'],
  },
  { from: 'aws_lambda_function', attribute: 'role', to: 'aws_iam_role', match: ['arn'] },
  {
    // The function whose asynchronous invocations the config governs (SLW-LAMBDA-009).
    from: 'aws_lambda_function_event_invoke_config',
    attribute: 'function_name',
    to: 'aws_lambda_function',
    match: ['function_name', 'arn'],
  },
  {
    from: 'aws_lambda_function',
    attribute: 'logging_config.log_group',
    to: 'aws_cloudwatch_log_group',
    match: ['name'],
  },
  {
    from: 'aws_cloudwatch_log_group',
    attribute: 'name',
    to: 'aws_lambda_function',
    match: [],
    derive: (fn) =>
      typeof fn.attributes.function_name === 'string'
        ? [`/aws/lambda/${fn.attributes.function_name}`]
        : [],
  },
  {
    from: 'aws_lambda_permission',
    attribute: 'function_name',
    to: 'aws_lambda_function',
    match: ['function_name', 'arn'],
  },
  {
    from: 'aws_lambda_function_event_invoke_config',
    attribute: 'function_name',
    to: 'aws_lambda_function',
    match: ['function_name', 'arn'],
  },
  {
    from: 'aws_lambda_function_url',
    attribute: 'function_name',
    to: 'aws_lambda_function',
    match: ['function_name', 'arn'],
  },
  { from: 'aws_sfn_state_machine', attribute: 'role_arn', to: 'aws_iam_role', match: ['arn'] },
  {
    from: 'aws_sfn_state_machine',
    attribute: 'logging_configuration.log_destination',
    to: 'aws_cloudwatch_log_group',
    match: ['arn'],
    derive: (g) => (typeof g.attributes.arn === 'string' ? [`${g.attributes.arn}:*`] : []),
  },
  {
    from: 'aws_api_gateway_stage',
    attribute: 'rest_api_id',
    to: 'aws_api_gateway_rest_api',
    match: ['id'],
  },
  {
    from: 'aws_api_gateway_method',
    attribute: 'rest_api_id',
    to: 'aws_api_gateway_rest_api',
    match: ['id'],
  },
  {
    from: 'aws_api_gateway_method_settings',
    attribute: 'stage_name',
    to: 'aws_api_gateway_stage',
    match: ['stage_name'],
  },
  {
    from: 'aws_apigatewayv2_stage',
    attribute: 'api_id',
    to: 'aws_apigatewayv2_api',
    match: ['id'],
  },
  {
    from: 'aws_apigatewayv2_route',
    attribute: 'api_id',
    to: 'aws_apigatewayv2_api',
    match: ['id'],
  },
];

function valueAt(r: Resource, attribute: string): unknown {
  let v: unknown = r.attributes;
  for (const part of attribute.split('.')) {
    if (Array.isArray(v)) v = v[0];
    if (!v || typeof v !== 'object' || isUnknown(v)) return v;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function link(a: Resource, b: Resource): void {
  const ab = (a.links[b.type] ??= []);
  if (!ab.includes(b)) ab.push(b);
  const ba = (b.links[a.type] ??= []);
  if (!ba.includes(a)) ba.push(a);
}

/** `aws_s3_bucket.b["x"]` → `["x"]`; `aws_s3_bucket.b` → `''`. */
const instanceKey = (address: string) => /(\[[^\]]*\])$/.exec(address)?.[1] ?? '';

/**
 * Links `child` to the parents (same input and module) whose identifying attribute is written
 * as the same expression: `bucket = var.bucket_name` on both, even when the variable has no
 * value. An expression that reads `count.index` / `each.*` links the same instance only.
 */
function linkByExpression(
  child: Resource,
  attribute: string,
  parents: Resource[],
  spec: LinkSpec,
): boolean {
  const text = child.expressions?.[attribute];
  if (!text) return false;
  const perInstance = /\b(count\.index|each\.(key|value))\b/.test(text);
  let found = false;
  for (const p of parents) {
    if (p.input !== child.input || p.modulePath !== child.modulePath) continue;
    if (!spec.match.some((m) => p.expressions?.[m] === text)) continue;
    if (perInstance && instanceKey(p.address) !== instanceKey(child.address)) continue;
    link(child, p);
    found = true;
  }
  return found;
}

/** Fills {@link Resource.links} for every resource of the model. */
export function linkResources(model: GovernanceModel): void {
  // Index: input|modulePath|type.name → resources (instances share the index).
  const byLocal = new Map<string, Resource[]>();
  for (const r of model.resources) {
    if (r.mode !== 'managed') continue;
    const k = `${r.input}|${r.modulePath}|${r.type}.${r.name}`;
    const list = byLocal.get(k);
    if (list) list.push(r);
    else byLocal.set(k, [r]);
  }
  for (const spec of LINK_SPECS) {
    const children = (model.byType.get(spec.from) ?? []).filter((r) => r.mode === 'managed');
    if (!children.length) continue;
    const parents = (model.byType.get(spec.to) ?? []).filter((r) => r.mode === 'managed');
    if (!parents.length) continue;
    let byValue: Map<string, Resource[]> | undefined;
    for (const child of children) {
      const top = spec.attribute.split('.')[0];
      const refs = child.references[top] ?? [];
      let found = false;
      for (const ref of refs) {
        const m = /^([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/.exec(ref);
        if (!m || m[1] !== spec.to) continue;
        for (const p of byLocal.get(`${child.input}|${child.modulePath}|${m[1]}.${m[2]}`) ?? []) {
          link(child, p);
          found = true;
        }
      }
      if (found) continue;
      if (spec.attribute === top && linkByExpression(child, top, parents, spec)) continue;
      const v = valueAt(child, spec.attribute);
      if (typeof v !== 'string') continue;
      if (!byValue) {
        byValue = new Map();
        for (const p of parents) {
          const values = [...spec.match.map((a) => p.attributes[a]), ...(spec.derive?.(p) ?? [])];
          for (const pv of values)
            if (typeof pv === 'string') {
              const k = `${p.input}|${pv}`;
              const list = byValue.get(k);
              if (list) list.push(p);
              else byValue.set(k, [p]);
            }
        }
      }
      for (const p of byValue.get(`${child.input}|${v}`) ?? []) link(child, p);
    }
  }
}
