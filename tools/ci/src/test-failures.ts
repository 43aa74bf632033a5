/**
 * The names of the failing tests in a step's output, for `npm test`'s summary: CI keeps only the
 * end of a long log, and a failed step would otherwise show only the Nx task that failed, not
 * which test. Jest prints one `● <suite> › <test>` header per failure (`● Test suite failed to
 * run` for a suite that did not load, `● Console` for captured logs, which is not a failure).
 */

// eslint-disable-next-line no-control-regex -- ANSI colour codes are what the output holds
const ANSI = /\u001b\[[0-9;]*m/g;
const HEADER = /^\s*● (.+\S)\s*$/;

/** Reads lines as they come (chunks may split a line) and keeps each failing test once. */
export class TestFailureScanner {
  readonly failures: string[] = [];
  #partial = '';

  /** Feeds a chunk of output; complete lines are scanned now, the rest with the next chunk. */
  push(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#scan(line);
  }

  /** Scans the last line, if the output did not end with a newline. */
  end(): void {
    if (this.#partial) this.#scan(this.#partial);
    this.#partial = '';
  }

  #scan(line: string): void {
    const header = HEADER.exec(line.replace(ANSI, ''))?.[1];
    if (!header || header === 'Console') return;
    if (!this.failures.includes(header)) this.failures.push(header);
  }
}
