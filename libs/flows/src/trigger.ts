import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * Whether `event` matches an EventBridge event pattern, for the subset Slipway's rules use:
 * nested objects, lists of exact values (any of), and `{ "prefix": "..." }`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *
 * @throws for an operator outside that subset, so a rule never silently matches differently.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (!event || typeof event !== 'object') return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([field, rule]) => {
    const value = record[field];
    if (Array.isArray(rule)) {
      return rule.some((candidate) => {
        if (candidate && typeof candidate === 'object') {
          const ops = Object.keys(candidate);
          if (ops.length === 1 && ops[0] === 'prefix') {
            return (
              typeof value === 'string' &&
              value.startsWith((candidate as { prefix: string }).prefix)
            );
          }
          throw new Error(
            `Event pattern operator ${ops.join(',')} is not supported by the sandbox matcher.`,
          );
        }
        return value === candidate;
      });
    }
    if (rule && typeof rule === 'object')
      return matchesPattern(rule as Record<string, unknown>, value);
    throw new Error(`Event pattern field ${field} must be a list or an object.`);
  });
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
