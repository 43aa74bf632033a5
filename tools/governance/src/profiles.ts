/**
 * Profiles select rules and thresholds. `baseline` is what every environment must meet;
 * `strict` adds customer-managed KMS keys, S3 access logging and one-year log retention for
 * production. Each rule declares its own thresholds per profile (`rule.profiles`); a profile
 * also carries run-wide settings such as the required tags.
 */

import type { Severity, UnknownPolicy } from './rules/types';

/** Names of the built-in profiles. */
export type ProfileName = 'baseline' | 'strict';

/** Every profile name, for validation and help text. */
export const PROFILE_NAMES: readonly ProfileName[] = ['baseline', 'strict'];

/** Run-wide settings of a profile. */
export interface Profile {
  name: ProfileName;
  /**
   * Tag keys every taggable resource must carry (own tags or provider default_tags). Compared
   * case-insensitively, ignoring `-` and `_` (`managed-by` = `ManagedBy`).
   */
  requiredTags: string[];
  /**
   * What a value a rule cannot evaluate becomes ("cannot verify … because … is unknown"):
   * `strict` reports a finding at `severity`, `baseline` a warning (which never fails a run).
   */
  unknowns: { report: UnknownPolicy; severity: Severity };
}

/** The built-in `unknowns` setting of each profile. */
export const DEFAULT_UNKNOWNS: Record<ProfileName, Profile['unknowns']> = {
  baseline: { report: 'warning', severity: 'medium' },
  strict: { report: 'finding', severity: 'high' },
};

/**
 * The tags `terraform/stacks/src/domain-stack.ts` sets as provider default_tags on every stack
 * (`cost-center` and `domain` are set too, but are not required of every root).
 */
export const DEFAULT_REQUIRED_TAGS = ['project', 'environment', 'owner', 'managed-by'];

/** The built-in profile of that name, with the default required tags. */
export function builtinProfile(
  name: ProfileName,
  requiredTags = DEFAULT_REQUIRED_TAGS,
  unknowns: Profile['unknowns'] = DEFAULT_UNKNOWNS[name],
): Profile {
  return { name, requiredTags, unknowns: { ...unknowns } };
}

/** Default environment → profile mapping (overridable in governance/config.yaml). */
export const DEFAULT_ENVIRONMENT_PROFILES: Record<string, ProfileName> = {
  dev: 'baseline',
  staging: 'baseline',
  prod: 'strict',
};
