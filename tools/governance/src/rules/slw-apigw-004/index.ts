import {
  firstBlock,
  isUnknown,
  linked,
  resourcesOfType,
  type Resource,
  type UnknownValue,
} from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

const LEVELS = ['INFO', 'ERROR'];

/** The method settings of `stage`: linked by reference or stage name, and on the same API. */
function settingsOf(stage: Resource): Resource[] {
  const api = stage.attributes.rest_api_id;
  return linked(stage, 'aws_api_gateway_method_settings').filter((ms) => {
    const other = ms.attributes.rest_api_id;
    return !(typeof api === 'string' && typeof other === 'string' && api !== other);
  });
}

/**
 * SLW-APIGW-004 — REST API stages write execution logs.
 *
 * Same as checkov CKV2_AWS_4: the stage has an `aws_api_gateway_method_settings` for `*\/*` whose
 * `settings.logging_level` is `INFO` or `ERROR`. Stricter than checkov in one way: a per-method
 * override (`method_path` other than `*\/*`) with `OFF` is reported on that override, because it
 * silences exactly the route it names. trivy has no equivalent check. Access logs (who called)
 * are SLW-APIGW-001; execution logs say why a request failed (authorizer, integration, mapping).
 */
export const rule: Rule = {
  id: 'SLW-APIGW-004',
  title: 'REST API stage has execution logging',
  severity: 'medium',
  rationale:
    'Without execution logs an authorizer denial or an integration failure leaves no explanation, only a status code.',
  fix: 'Add aws_api_gateway_method_settings { method_path = "*/*", settings { logging_level = "INFO" (or "ERROR"), metrics_enabled = true } } for the stage (terraform/modules/rest-api always does).',
  checkov: ['CKV2_AWS_4'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const st of resourcesOfType(model, 'aws_api_gateway_stage')) {
      const all = settingsOf(st);
      const stageWide = all.filter((ms) => ms.attributes.method_path === '*/*');
      const unknownPath = all.find((ms) => isUnknown(ms.attributes.method_path));
      if (!stageWide.length && unknownPath) {
        cannotVerify(
          this,
          st,
          'execution logging',
          unknownPath.attributes.method_path as UnknownValue,
          'method_path',
          context,
          unknownPath,
        );
        continue;
      }
      if (!stageWide.length) {
        out.push(findingFor(this, st, 'no aws_api_gateway_method_settings for method_path "*/*".'));
        continue;
      }
      const levels = stageWide.map((ms) => {
        const s = firstBlock(ms.attributes, 'settings');
        return isUnknown(s) ? s : s?.logging_level;
      });
      if (levels.some((l) => typeof l === 'string' && LEVELS.includes(l))) continue;
      const unknownLevel = levels.findIndex((l) => isUnknown(l));
      if (unknownLevel >= 0) {
        cannotVerify(
          this,
          st,
          'execution logging',
          levels[unknownLevel] as UnknownValue,
          'settings',
          context,
          stageWide[unknownLevel],
        );
        continue;
      }
      if (!levels.some((l) => typeof l === 'string' && LEVELS.includes(l)))
        out.push(
          findingFor(
            this,
            st,
            `method settings "*/*" have logging_level ${JSON.stringify(levels[0] ?? 'OFF')}, not INFO or ERROR.`,
          ),
        );
    }
    for (const ms of resourcesOfType(model, 'aws_api_gateway_method_settings')) {
      if (ms.attributes.method_path === '*/*' || isUnknown(ms.attributes.method_path)) continue;
      const s = firstBlock(ms.attributes, 'settings');
      const unknown = isUnknown(s) ? s : isUnknown(s?.logging_level) ? s.logging_level : undefined;
      if (unknown) {
        cannotVerify(this, ms, 'the logging level', unknown, 'settings', context);
        continue;
      }
      if (isUnknown(s)) continue;
      if (s?.logging_level === 'OFF')
        out.push(
          findingFor(
            this,
            ms,
            `method override ${String(ms.attributes.method_path)} turns logging_level OFF.`,
            'Set logging_level = "INFO" or "ERROR" on the override, or remove logging_level so the stage-wide setting applies.',
          ),
        );
    }
    return out;
  },
};
