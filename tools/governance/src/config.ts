/**
 * `governance/config.yaml`: environment → profile mapping and required tags.
 *
 * ```yaml
 * environments: { dev: baseline, staging: baseline, prod: strict }
 * requiredTags: [project, environment, owner, managed-by]
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { InvalidInputError } from './errors';
import {
  DEFAULT_ENVIRONMENT_PROFILES,
  DEFAULT_REQUIRED_TAGS,
  PROFILE_NAMES,
  type ProfileName,
} from './profiles';

/** Settings read from the config file (or the defaults). */
export interface GovernanceConfig {
  environments: Record<string, ProfileName>;
  requiredTags: string[];
}

/** Defaults used when no config file exists. */
export function defaultConfig(): GovernanceConfig {
  return {
    environments: { ...DEFAULT_ENVIRONMENT_PROFILES },
    requiredTags: [...DEFAULT_REQUIRED_TAGS],
  };
}

/**
 * Reads the config file; a missing file gives the defaults.
 *
 * @throws InvalidInputError (file and line) for malformed YAML or unknown profile names.
 */
export function loadConfig(file: string): GovernanceConfig {
  if (!existsSync(file)) return defaultConfig();
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length)
    throw new InvalidInputError(
      file,
      doc.errors[0].linePos?.[0]?.line ?? lc.linePos(doc.errors[0].pos[0]).line,
      `YAML does not parse: ${doc.errors[0].message.split('\n')[0]}`,
    );
  const raw = (doc.toJSON() ?? {}) as Record<string, unknown>;
  const config = defaultConfig();
  if (raw.environments !== undefined) {
    if (!raw.environments || typeof raw.environments !== 'object')
      throw new InvalidInputError(
        file,
        undefined,
        'environments must map environment names to a profile (baseline or strict).',
      );
    for (const [env, profile] of Object.entries(raw.environments as Record<string, unknown>)) {
      if (!PROFILE_NAMES.includes(profile as ProfileName)) {
        const line = lc.linePos(
          doc.getIn(['environments', env], true)
            ? (doc.getIn(['environments', env], true) as { range: [number] }).range[0]
            : 0,
        ).line;
        throw new InvalidInputError(
          file,
          line,
          `environment ${env} maps to unknown profile ${JSON.stringify(profile)}; use one of ${PROFILE_NAMES.join(', ')}.`,
        );
      }
      config.environments[env] = profile as ProfileName;
    }
  }
  if (raw.requiredTags !== undefined) {
    if (!Array.isArray(raw.requiredTags) || !raw.requiredTags.every((t) => typeof t === 'string'))
      throw new InvalidInputError(
        file,
        undefined,
        'requiredTags must be a list of tag keys, e.g. [project, environment, owner, managed-by].',
      );
    config.requiredTags = raw.requiredTags as string[];
  }
  return config;
}
