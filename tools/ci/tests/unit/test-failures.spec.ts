import { describe, expect, it } from '@jest/globals';
import { TestFailureScanner } from '../../src/test-failures';

// Lines as Jest prints them in a failing run (colours included), cut into arbitrary chunks.
const OUTPUT = [
  '\u001b[1m\u001b[31m  \u001b[1m● \u001b[22m\u001b[1metl flow: a day with every kind of bad input › is one trace whose service map has exactly the execution\u001b[39m\u001b[22m',
  '',
  '    expect(received).toEqual(expected) // deep equality',
  '  ● Console',
  '',
  '    console.log',
  '  ● etl flow: a day with every kind of bad input › is one trace whose service map has exactly the execution',
  '  ● Test suite failed to run',
  '  ● media flow › quarantines a PDF renamed .jpg',
  ' PASS   sandbox-integration  tools/sandbox/tests/integration/media-flow.spec.ts',
].join('\n');

describe('TestFailureScanner', () => {
  it('keeps each failing test once, in order, without colours or captured console blocks', () => {
    // Prepare
    const scanner = new TestFailureScanner();

    // Act: chunks that split lines, and no newline at the end.
    for (let i = 0; i < OUTPUT.length; i += 37) scanner.push(OUTPUT.slice(i, i + 37));
    scanner.push('\n  ● last › one without a newline');
    scanner.end();

    // Assess
    expect(scanner.failures).toEqual([
      'etl flow: a day with every kind of bad input › is one trace whose service map has exactly the execution',
      'Test suite failed to run',
      'media flow › quarantines a PDF renamed .jpg',
      'last › one without a newline',
    ]);
  });

  it('finds nothing in a passing run', () => {
    const scanner = new TestFailureScanner();
    scanner.push(' PASS   bench  tests/unit/args.spec.ts\nTests:       9 passed, 9 total\n');
    scanner.end();
    expect(scanner.failures).toEqual([]);
  });
});
