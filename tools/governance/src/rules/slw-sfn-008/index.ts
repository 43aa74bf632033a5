import {
  ASL_NO_PUBLIC_EQUIVALENT,
  at,
  invokedFunction,
  stateMachineDefinitions,
  walkStates,
} from '../../asl';
import { isUnknown, linked, type GovernanceModel, type Resource } from '../../model';
import { actionMatches, knownStrings, parsePolicy, type Statement } from '../../policy';
import { findingFor, reportUnverified, type CheckContext, type Finding, type Rule } from '../types';

/** `arn:aws:lambda:r:a:function:name[:qualifier]` → `{ name, arn }` (unqualified); a bare name → `{ name }`. */
function functionKey(ref: string): { name: string; arn?: string } {
  const m = /^(arn:[a-z-]+:lambda:[^:]*:[^:]*:function:([^:]+))(:[^:]+)?$/.exec(ref);
  if (m) return { name: m[2], arn: m[1] };
  // Partial ARN "123456789012:function:name" or "name:alias".
  const partial = /(?:^|:)function:([^:]+)/.exec(ref);
  return { name: partial ? partial[1] : ref.split(':')[0] };
}

/** IAM's glob (`*`, `?`), case-sensitive like resource ARNs. */
function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

/** Whether a granted resource pattern lets the role invoke the function `ref`. */
function grants(pattern: string, ref: { name: string; arn?: string }): boolean {
  if (ref.arn) return globMatches(pattern, ref.arn) || globMatches(pattern, `${ref.arn}:x`);
  const m = /:function:(.+?)(:\*)?$/.exec(pattern);
  return pattern === '*' || (!!m && globMatches(m[1], ref.name));
}

/** True when `pattern` grants exactly `ref`: its ARN, or its ARN + `:*` (versions and aliases). */
function exactGrant(pattern: string, ref: { name: string; arn?: string }): boolean {
  if (pattern.replace(/:\*$/, '').includes('*') || pattern.includes('?')) return false;
  if (ref.arn) return pattern === ref.arn || pattern === `${ref.arn}:*`;
  const m = /:function:([^:]+)(:\*)?$/.exec(pattern);
  return !!m && m[1] === ref.name;
}

/**
 * The policy documents of a role: inline `aws_iam_role_policy`, `inline_policy` blocks, and
 * attached `aws_iam_policy` resources. `undefined` with a reason when one cannot be read.
 */
function rolePolicies(
  role: Resource,
  model: GovernanceModel,
): { statements: Statement[] } | { unknown: string } {
  const statements: Statement[] = [];
  const add = (value: unknown, where: string): string | undefined => {
    const parsed = parsePolicy(value);
    if (isUnknown(parsed)) return `the policy of ${where} is unknown`;
    if (parsed) statements.push(...parsed);
    return undefined;
  };
  for (const p of linked(role, 'aws_iam_role_policy')) {
    const why = add(p.attributes.policy, p.address);
    if (why) return { unknown: why };
  }
  const inline = role.attributes.inline_policy;
  // A plan leaves an unset inline_policy "known after apply" (AWS fills it with the role's
  // aws_iam_role_policy documents, read above): unknown matters only when configured.
  if (isUnknown(inline) && 'inline_policy' in role.references)
    return { unknown: `inline_policy of ${role.address} is unknown` };
  for (const b of Array.isArray(inline) && !isUnknown(inline) ? inline : []) {
    const why = add((b as Record<string, unknown>).policy, `${role.address} inline_policy`);
    if (why) return { unknown: why };
  }
  for (const a of linked(role, 'aws_iam_role_policy_attachment')) {
    const arn = a.attributes.policy_arn;
    const refs = (a.references.policy_arn ?? []).filter((r) => r.startsWith('aws_iam_policy.'));
    const policy = model.resources.find(
      (p) =>
        p.type === 'aws_iam_policy' &&
        p.input === a.input &&
        ((typeof arn === 'string' && p.attributes.arn === arn) ||
          (p.modulePath === a.modulePath && refs.some((r) => r === `aws_iam_policy.${p.name}`))),
    );
    if (!policy)
      return {
        unknown: `the policy attached by ${a.address} (${typeof arn === 'string' ? arn : 'policy_arn unknown'}) is not in the scanned input`,
      };
    const why = add(policy.attributes.policy, policy.address);
    if (why) return { unknown: why };
  }
  return { statements };
}

/**
 * SLW-SFN-008 — the state machine's role can invoke exactly the functions its definition names.
 *
 * The functions: every Task's `Parameters.FunctionName` (`arn:aws:states:::lambda:invoke`) or
 * function-ARN Resource, in every state including Parallel branches and Map processors. The
 * role: the `aws_iam_role` the state machine's `role_arn` points at; its grants: the `Allow`
 * statements for `lambda:InvokeFunction` of its `aws_iam_role_policy` resources,
 * `inline_policy` blocks and attached `aws_iam_policy` resources. Reported: a named function no
 * statement grants (the Task fails with `Lambda.AWSLambdaException` AccessDenied at run time),
 * and a granted resource that covers no named function, or covers more than them (`*`,
 * `function:*`, `function:slipway-*`). `<arn>:*` (versions and aliases of a named function) is
 * accepted. A function chosen at run time (`FunctionName.$`), a role outside the input or a
 * policy governance cannot read is "cannot verify" (strict finding, baseline warning).
 *
 * No public equivalent: checkov's Step Functions checks are CKV_AWS_284 and CKV_AWS_285
 * (SLW-SFN-001/002); trivy has none; the IAM wildcard checks (SLW-IAM-*) do not relate a role to
 * the definition that uses it.
 */
export const rule: Rule = {
  id: 'SLW-SFN-008',
  title: 'The state machine role invokes exactly the functions its definition names',
  severity: 'high',
  rationale:
    'A missing grant fails the flow at run time on its first execution of that path; an extra one lets the flow (and whoever can edit its definition) invoke functions it never should.',
  fix: 'Grant lambda:InvokeFunction on exactly the function ARNs the definition names, plus "<arn>:*" for their versions and aliases (the state-machine module does this from lambda_function_arns).',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context: CheckContext) {
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out)) {
      const named = new Map<string, { name: string; arn?: string; states: string[] }>();
      let dynamic = false;
      for (const visit of walkStates(asl)) {
        const fn = invokedFunction(visit.state);
        if (fn === undefined) continue;
        if (typeof fn !== 'string') {
          dynamic = true;
          reportUnverified(
            this,
            resource,
            `cannot verify the functions ${resource.address} invokes because ${at(visit)} chooses one at run time (FunctionName.$ ${fn.dynamic}).`,
            context,
            fn.dynamic,
          );
          continue;
        }
        const key = functionKey(fn);
        const id = key.arn ?? key.name;
        const entry = named.get(id) ?? { ...key, states: [] };
        entry.states.push(visit.path);
        named.set(id, entry);
      }
      const roles = linked(resource, 'aws_iam_role');
      if (roles.length !== 1) {
        if (named.size || dynamic)
          reportUnverified(
            this,
            resource,
            `cannot verify the functions ${resource.address} may invoke because its role (role_arn) is not a role of the scanned input.`,
            context,
            'role_arn',
          );
        continue;
      }
      const policies = rolePolicies(roles[0], model);
      if ('unknown' in policies) {
        reportUnverified(
          this,
          resource,
          `cannot verify the functions ${resource.address} may invoke because ${policies.unknown}.`,
          context,
        );
        continue;
      }
      const granted = policies.statements
        .filter((s) => s.effect === 'Allow')
        .filter((s) =>
          knownStrings(s.actions).some((a) => actionMatches(a, 'lambda:InvokeFunction')),
        )
        .flatMap((s) => knownStrings(s.resources));
      const missing = [...named.values()].filter((f) => !granted.some((g) => grants(g, f)));
      for (const f of missing)
        out.push(
          findingFor(
            this,
            resource,
            `role ${roles[0].address} cannot invoke ${f.arn ?? f.name}, which ${f.states.map((s) => `state ${s}`).join(', ')} invokes.`,
          ),
        );
      if (dynamic) continue;
      const extra = granted.filter((g) => ![...named.values()].some((f) => exactGrant(g, f)));
      for (const g of [...new Set(extra)])
        out.push(
          findingFor(
            this,
            resource,
            `role ${roles[0].address} may invoke ${g}, which is more than the functions the definition names (${[...named.keys()].sort().join(', ') || 'none'}).`,
          ),
        );
    }
    return out;
  },
};
