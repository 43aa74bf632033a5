import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainModel, readPlans } from './plan';
import { renderRunbook } from './render';

/** The first line of every runbook this tool writes (how it recognizes its own files). */
export const GENERATED_HEADING = '# Runbook: ';

/**
 * Every domain's runbook from the plans of one environment: `<domain>.md` → its Markdown, for
 * each stack with at least one alarm, in file-name order.
 *
 * @throws {PlanReadError} (from {@link readPlans}) for a missing folder or a file that is no plan.
 */
export function generateRunbooks(plansDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const plan of readPlans(plansDir)) {
    const model = domainModel(plan);
    if (!model.alarms.length && !model.composites.length) continue;
    files.set(`${model.domain}.md`, renderRunbook(model));
  }
  return files;
}

/** What differs between the generated runbooks and a folder: missing, changed, extra files. */
export function staleRunbooks(outDir: string, generated: Map<string, string>): string[] {
  const present = existsSync(outDir)
    ? readdirSync(outDir).filter(
        (f) =>
          f.endsWith('.md') && readFileSync(join(outDir, f), 'utf8').startsWith(GENERATED_HEADING),
      )
    : [];
  const changed = [...generated].flatMap(([file, text]) => {
    const path = join(outDir, file);
    if (!existsSync(path)) return [`${file}: missing`];
    return readFileSync(path, 'utf8') === text ? [] : [`${file}: differs`];
  });
  const extra = present
    .filter((f) => !generated.has(f))
    .map((f) => `${f}: no such domain in the plans`);
  return [...changed, ...extra].sort();
}
