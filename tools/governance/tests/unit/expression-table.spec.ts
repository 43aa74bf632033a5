/**
 * Our evaluator against the values Terraform gave each row of
 * tests/fixtures/expressions/table.yaml (pinned there from `terraform console`; the integration
 * test asks Terraform again). Each row runs both ways the engine meets an expression: as a
 * Terraform JSON / CDK Terrain `${...}` string, and as an HCL attribute through hcl2json.
 */
import {
  loadTable,
  oursFromHcl,
  oursFromTemplate,
  type Ours,
  type Row,
} from '../fixtures/expressions/table';

const rows = loadTable();

/** Ours must be Terraform's value, unknown because Terraform rejects it, or unknown on purpose. */
function expectAgrees(row: Row, ours: Ours): void {
  if (row.unsupported !== undefined) {
    expect(ours).toEqual({ unknown: expect.stringContaining(row.unsupported) });
  } else if (row.error !== undefined) {
    expect(ours).toEqual({ unknown: expect.stringMatching(/^Terraform would reject it: /) });
  } else {
    expect(ours).toEqual({ value: row.value });
  }
}

describe('expression table (tests/fixtures/expressions/table.yaml)', () => {
  it('has distinct ids and one answer per row', () => {
    // Assess
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect([r.id, 'value' in r !== 'error' in r]).toEqual([r.id, true]);
  });

  it.each(rows.map((r) => [r.id, r] as const))('%s as a ${...} string', (_id, row) => {
    // Act
    const ours = oursFromTemplate(row);

    // Assess
    expectAgrees(row, ours);
  });

  it.each(rows.map((r) => [r.id, r] as const))('%s as an HCL attribute', async (_id, row) => {
    // Act
    const ours = await oursFromHcl(row);

    // Assess
    expectAgrees(row, ours);
  });
});
