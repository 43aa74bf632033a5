import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APIGW-005 — an API Gateway cache, when on, is encrypted.
 *
 * Same as checkov CKV_AWS_308 and trivy AVD-AWS-0002: every `aws_api_gateway_method_settings`
 * with `settings.caching_enabled = true` has `settings.cache_data_encrypted = true`. Settings
 * with caching off pass (a cache that is not used holds nothing); whether caching should be on
 * at all (checkov CKV_AWS_120 / CKV_AWS_225, trivy AVD-AWS-0190) is a cost and freshness choice,
 * not checked here.
 */
export const rule: Rule = {
  id: 'SLW-APIGW-005',
  title: 'API Gateway cache is encrypted',
  severity: 'medium',
  rationale:
    'Cached responses hold the same personal data as the backend, on disks the account does not otherwise control.',
  fix: 'Set settings { cache_data_encrypted = true } wherever caching_enabled = true (terraform/modules/rest-api always does).',
  checkov: ['CKV_AWS_308'],
  trivy: ['AVD-AWS-0002'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const ms of resourcesOfType(model, 'aws_api_gateway_method_settings')) {
      const s = firstBlock(ms.attributes, 'settings');
      if (isUnknown(s)) {
        cannotVerify(this, ms, 'cache encryption', s, 'settings', context);
        continue;
      }
      if (!s || s.caching_enabled === false || s.caching_enabled === undefined) continue;
      if (s.cache_data_encrypted === true) continue;
      const unknown = isUnknown(s.caching_enabled)
        ? s.caching_enabled
        : isUnknown(s.cache_data_encrypted)
          ? s.cache_data_encrypted
          : undefined;
      if (unknown) {
        cannotVerify(this, ms, 'cache encryption', unknown, 'settings', context);
        continue;
      }
      if (s.caching_enabled === true && s.cache_data_encrypted !== true)
        out.push(
          findingFor(
            this,
            ms,
            `caching is enabled for ${String(ms.attributes.method_path ?? '?')} but cache_data_encrypted is ${JSON.stringify(s.cache_data_encrypted ?? false)}.`,
          ),
        );
    }
    return out;
  },
};
