/**
 * The evaluator against Terraform itself: every row of tests/fixtures/expressions/table.yaml
 * through `terraform console` (Terraform 1.11.4, an empty root: no provider, no network) and
 * through our evaluator, fresh each run (nothing cached). A row agrees when both give the same
 * value, when Terraform rejects it and ours is unknown, or when the table marks it as one
 * governance deliberately does not evaluate and ours is unknown with that reason. Terraform's
 * answer must also still be the one pinned in the table (so the unit test holds ours to it).
 */
import {
  loadTable,
  oursFromHcl,
  oursFromTemplate,
  terraformValues,
  type Theirs,
} from '../fixtures/expressions/table';

const rows = loadTable();
let theirs: Map<string, Theirs>;

beforeAll(async () => {
  // Prepare: one console session for the whole table (plus one per row Terraform rejects).
  theirs = await terraformValues(rows);
}, 120_000);

describe('expressions: our evaluator agrees with terraform console', () => {
  it.each(rows.map((r) => [r.id, r] as const))('%s', async (_id, row) => {
    // Act
    const tf = theirs.get(row.id)!;
    const ours = [oursFromTemplate(row), await oursFromHcl(row)];

    // Assess: Terraform still answers what the table pins...
    if (row.error !== undefined) expect(tf).toEqual({ error: expect.stringContaining(row.error) });
    else expect(tf).toEqual({ value: row.value });
    // ...and ours agrees with Terraform's answer.
    for (const o of ours) {
      if (row.unsupported !== undefined)
        expect(o).toEqual({ unknown: expect.stringContaining(row.unsupported) });
      else if ('error' in tf)
        expect(o).toEqual({ unknown: expect.stringMatching(/^Terraform would reject it: /) });
      else expect(o).toEqual({ value: tf.value });
    }
  });
});
