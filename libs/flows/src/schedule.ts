import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowName } from './flows';

/** When a scheduled flow runs: an EventBridge Scheduler schedule. */
export interface FlowSchedule {
  /** `cron(...)` or `rate(...)`, as EventBridge Scheduler reads it. */
  expression: string;
  /** IANA time zone the cron runs in, e.g. `Europe/Paris`. */
  timezone: string;
  /** Execution input; may use Scheduler's context placeholders such as `<aws.scheduler.scheduled-time>`. */
  input: Record<string, unknown>;
}

/**
 * Reads `libs/flows/<name>.schedule.json`, or returns undefined when the flow is not scheduled
 * (it is started by a trigger or by hand). Terraform (schedule module) reads the same file.
 *
 * @throws when the file exists but lacks a field, naming the file and the field.
 */
export function loadSchedule(name: FlowName): FlowSchedule | undefined {
  const file = join(__dirname, '..', `${name}.schedule.json`);
  if (!existsSync(file)) return undefined;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<FlowSchedule>;
  for (const field of ['expression', 'timezone', 'input'] as const)
    if (raw[field] === undefined)
      throw new Error(
        `${file}: "${field}" is missing; see libs/flows/README.md for the schedule file.`,
      );
  if (!/^(cron|rate|at)\(.+\)$/.test(raw.expression!))
    throw new Error(
      `${file}: "expression" must be cron(...), rate(...) or at(...), got "${raw.expression}".`,
    );
  return { expression: raw.expression!, timezone: raw.timezone!, input: raw.input! };
}
