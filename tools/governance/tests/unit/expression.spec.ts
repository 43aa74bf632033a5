import { evaluateString, type Scope } from '../../src/hcl/expression';
import { isUnknown, unknownFrom } from '../../src/model';

const scope = (vars: Record<string, unknown>): Scope => ({
  root: () => undefined,
  member: (root, name) => (root === 'var' ? (name in vars ? vars[name] : undefined) : undefined),
});

describe('HCL expression evaluation', () => {
  it.each([
    ['${var.k == null ? "AES256" : "aws:kms"}', { k: null }, 'AES256'],
    ['${var.k == null ? "AES256" : "aws:kms"}', { k: 'arn' }, 'aws:kms'],
    ['arn:aws:s3:::${var.b}/*', { b: 'media' }, 'arn:aws:s3:::media/*'],
    ['${length(var.l) > 0 ? 1 : 0}', { l: [1] }, 1],
    ['${[for s in var.l : upper(s) if s != "b"]}', { l: ['a', 'b'] }, ['A']],
    ['${{ for k, v in var.m : k => v * 2 }}', { m: { a: 1 } }, { a: 2 }],
    [
      '${jsonencode({ Effect = "Allow", Action = ["s3:*"] })}',
      {},
      '{"Action":["s3:*"],"Effect":"Allow"}',
    ],
    ['${coalesce(var.p, "s3-access-logs/${var.b}/")}', { p: null, b: 'x' }, 's3-access-logs/x/'],
    ['${try(var.m.missing, "fallback")}', { m: {} }, 'fallback'],
  ])('%s → known value', (text, vars, expected) => {
    expect(evaluateString(text, scope(vars))).toEqual(expected);
  });

  it('keeps resource attributes and undeclared references unknown, never guessed', () => {
    const s: Scope = {
      root: () => undefined,
      member: (root) => (root === 'aws_s3_bucket' ? undefined : undefined),
    };

    expect(isUnknown(evaluateString('${aws_s3_bucket.this.arn}', s))).toBe(true);
    expect(isUnknown(evaluateString('${var.nope}-x', scope({})))).toBe(true);
    expect(isUnknown(evaluateString('${file("x.json")}', scope({})))).toBe(true);
  });
});

describe('why a value is unknown', () => {
  const unknownVar: Scope = {
    root: () => undefined,
    member: (root, name) =>
      root === 'var' ? unknownFrom('unresolved', `var.${name}`, undefined, 'no value') : undefined,
  };

  it.each([
    // A function of an unknown input names that input.
    ['${upper(var.k)}', 'var.k', 'no value'],
    // What Terraform rejects says so, with the whole expression.
    [
      '${element([], 0)}',
      '${element([], 0)}',
      'Terraform would reject it: cannot use element function with an empty list',
    ],
    // What governance does not evaluate says why.
    [
      '${templatefile("x.tpl", {})}',
      'templatefile(…)',
      'templatefile() is not evaluated: renders a file governance does not load',
    ],
    [
      '${replace("a", "/(?i:a)/", "b")}',
      'replace(…)',
      'regex (?i:a): inline flags after the start of a pattern have no JavaScript equivalent in Node 22',
    ],
  ])('%s', (text, expression, reason) => {
    // Act
    const v = evaluateString(text, unknownVar);

    // Assess
    expect(isUnknown(v) && [v.expression, v.reason]).toEqual([expression, reason]);
  });

  it('keeps a partly unknown jsonencode document as an object for the policy rules', () => {
    // Act
    const v = evaluateString('${jsonencode({ Resource = var.arn, Effect = "Allow" })}', unknownVar);

    // Assess
    expect(v).toEqual({ Resource: unknownFrom('unresolved'), Effect: 'Allow' });
  });
});
