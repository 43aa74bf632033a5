import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchesEventPattern } from '@slipway/events';
import type { FlowName } from './flows';

/** How an event starts a flow: the EventBridge rule's pattern and input transformer. */
export interface FlowTrigger {
  eventPattern: Record<string, unknown>;
  inputPaths: Record<string, string>;
  inputTemplate: string;
}

/** Reads `libs/flows/<name>.trigger.json` with `{bucket}` replaced by the bucket's real name. */
export function loadTrigger(name: FlowName, bucket: string): FlowTrigger {
  const raw = readFileSync(join(__dirname, '..', `${name}.trigger.json`), 'utf8').replaceAll(
    '{bucket}',
    bucket,
  );
  const { eventPattern, inputPaths, inputTemplate } = JSON.parse(raw);
  return { eventPattern, inputPaths, inputTemplate };
}

/**
 * Whether `event` matches the trigger's EventBridge event pattern, with EventBridge's full
 * semantics: {@link matchesEventPattern} from `@slipway/events`.
 *
 * @throws {EventPatternError} for a pattern that breaks EventBridge's grammar, so a rule never
 *   silently matches differently from AWS.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchesEventPattern(pattern, event);
}

function valueAtPath(event: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`Input path ${path} must start with $`);
  let current: unknown = event;
  for (const part of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Applies an input transformer the way EventBridge does for a JSON template: a placeholder
 * outside quotes becomes the JSON value (strings quoted and escaped), a missing path `null`.
 *
 * @returns the parsed target input.
 */
export function transformInput(
  trigger: Pick<FlowTrigger, 'inputPaths' | 'inputTemplate'>,
  event: unknown,
): unknown {
  const text = trigger.inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_, name: string) => {
    const path = trigger.inputPaths[name];
    if (!path) throw new Error(`Input template uses <${name}>, which inputPaths does not define.`);
    const value = valueAtPath(event, path);
    return JSON.stringify(value === undefined ? null : value);
  });
  return JSON.parse(text);
}
