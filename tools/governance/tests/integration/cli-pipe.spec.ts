/**
 * Cause (issue 16): the CLI called process.exit() before stdout drained, so a JSON report
 * larger than a pipe's 64 KiB buffer reached the next program cut. The real CLI, spawned
 * through a shell pipe into a slow-to-start reader, must deliver the whole report.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.join(__dirname, '../../../..');
const BUCKETS = 300;

describe('cause: stdout cut at 64 KiB when the CLI exited before it drained', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'governance-pipe-'));
    // Buckets with nothing configured: several findings each, a report of a few hundred KiB.
    writeFileSync(
      path.join(dir, 'main.tf'),
      Array.from(
        { length: BUCKETS },
        (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "slipway-pipe-${i}"\n}\n`,
      ).join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan --format json | node -e JSON.parse(...) reads every byte of a report larger than 64 KiB', () => {
    const reader =
      "const t=require('fs').readFileSync(0,'utf8');const r=JSON.parse(t);" +
      "console.log(t.length+' '+r.findings.filter(f=>f.ruleId==='SLW-S3-002').length)";
    const out = execFileSync(
      'bash',
      [
        '-c',
        // The reader starts after a pause, so the writer fills the pipe and has to wait.
        `npx tsx tools/governance/src/cli.ts scan --hcl "${dir}" --profile baseline --format json --fail-on critical 2>/dev/null | (sleep 1; node -e "${reader}"); echo "exit \${PIPESTATUS[0]} \${PIPESTATUS[1]}"`,
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    const [counts, exits] = out.trim().split('\n');
    const [bytes, s3002] = counts.split(' ').map(Number);
    expect(bytes).toBeGreaterThan(64 * 1024);
    expect(s3002).toBe(BUCKETS);
    // 1: the run fails on the critical SLW-S3-002 findings; 0: the reader parsed the whole report.
    expect(exits).toBe('exit 1 0');
  });
});
