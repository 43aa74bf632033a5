/**
 * Plans a plain HCL root (e.g. terraform/bootstrap) offline and writes the plan JSON.
 *
 * Usage: tsx tools/terraform/src/plan-root.ts --dir terraform/bootstrap --out dist/terraform/plans/bootstrap.json
 *        [--var-file offline-plan.tfvars]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { planOffline } from './offline-plan';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      'var-file': { type: 'string', multiple: true },
    },
  });
  if (!values.dir || !values.out) {
    throw new Error(
      'Usage: plan-root.ts --dir <terraform root> --out <plan.json> [--var-file <file>]',
    );
  }
  const { summary } = await planOffline({
    dir: resolve(values.dir),
    outFile: resolve(values.out),
    varFiles: values['var-file'] ?? [],
  });
  console.log(
    `${values.dir}: ${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.delete} to destroy`,
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
