import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, runTracesCli, USAGE } from '../../src/cli';
import { buildServiceGraph } from '../../src/graph';
import { toMermaid } from '../../src/render';
import { readSegments } from '../../src/segments';

const FIXTURES = join(__dirname, '../fixtures');
const MEDIA = '1-6930e3a1-bbbbbbbbbbbbbbbbbbbbbbbb';

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTracesCli(argv, {
    write: (t) => out.push(t),
    error: (t) => err.push(t),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A sandbox work dir whose captured segments are one run: the three fixture traces. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'traces-cli-'));
  mkdirSync(join(dir, 'traces'));
  writeFileSync(
    join(dir, 'traces', 'segments.jsonl'),
    ['api-call', 'media-execution', 'failing-task']
      .map((f) => readFileSync(join(FIXTURES, `${f}.jsonl`), 'utf8'))
      .join(''),
  );
  return dir;
}

describe('traces CLI usage', () => {
  it.each([
    [['--colour'], 'unknown argument "--colour"'],
    [['stray'], 'unknown argument "stray"'],
    [['--out'], '--out needs a value'],
    [['--trace', '--out', 'x'], '--trace needs a value'],
    [['--work-dir='], '--work-dir needs a value'],
    [['--from-aws=yes'], 'unknown argument "--from-aws=yes"'],
    [
      ['--start', '2026-12-03T06:00:00Z'],
      '--start reads X-Ray and needs --from-aws; without it the map is drawn from the captured segments',
    ],
    [
      ['--group', 'media'],
      '--group reads X-Ray and needs --from-aws; without it the map is drawn from the captured segments',
    ],
    [['--from-aws'], '--from-aws needs --start and --end (ISO 8601, e.g. 2026-12-03T06:00:00Z)'],
    [
      ['--from-aws', '--start', '2026-12-03T06:00:00Z'],
      '--from-aws needs --start and --end (ISO 8601, e.g. 2026-12-03T06:00:00Z)',
    ],
    [
      ['--from-aws', '--start', 'yesterday', '--end', '2026-12-03T07:00:00Z'],
      '--start "yesterday" is not an ISO 8601 time (e.g. 2026-12-03T06:00:00Z)',
    ],
    [
      ['--from-aws', '--start', '2026-12-03T06:00:00Z', '--end', '2026-13-03T07:00:00Z'],
      '--end "2026-13-03T07:00:00Z" is not an ISO 8601 time (e.g. 2026-12-03T06:00:00Z)',
    ],
    [
      ['--from-aws', '--start', '2026-12-03T07:00:00Z', '--end', '2026-12-03T06:00:00Z'],
      '--start 2026-12-03T07:00:00Z must be before --end 2026-12-03T06:00:00Z',
    ],
    [
      [
        '--from-aws',
        '--work-dir',
        'dist/sandbox',
        '--start',
        '2026-12-03T06:00:00Z',
        '--end',
        '2026-12-03T07:00:00Z',
      ],
      '--work-dir names captured segments, --from-aws reads X-Ray instead: pass one of them',
    ],
  ])('%j: %s', async (argv, message) => {
    expect(await cli(argv)).toEqual({
      code: 2,
      stdout: '',
      stderr: `traces: ${message}\n\n${USAGE}\n`,
    });
  });

  it.each([[['--help']], [['--out', 'x', '-h']]])('%j prints the usage', async (argv) => {
    expect(await cli(argv)).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });

  it.each<[string[], ReturnType<typeof parseArgs>]>([
    [[], { mode: 'local' }],
    [
      ['--work-dir=w', '--out', 'o', '--trace', 'corr-1'],
      { mode: 'local', workDir: 'w', out: 'o', trace: 'corr-1' },
    ],
    [
      [
        '--from-aws',
        '--start',
        '2026-12-03T06:00:00Z',
        '--end=2026-12-03T07:00',
        '--region',
        'eu-west-1',
        '--group',
        'media',
      ],
      {
        mode: 'aws',
        start: new Date('2026-12-03T06:00:00Z'),
        end: new Date('2026-12-03T07:00'),
        region: 'eu-west-1',
        group: 'media',
      },
    ],
  ])('reads %j', (argv, args) => {
    expect(parseArgs(argv)).toEqual(args);
  });
});

describe('traces CLI run', () => {
  let dir: string;
  beforeEach(() => {
    dir = workDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the service map and the waterfall of the trace a correlation id names, and prints their paths', async () => {
    // Act
    const result = await cli(['--work-dir', dir, '--trace', 'corr-upload-1']);
    // Assess
    const out = join(dir, 'traces');
    const files = [
      join(out, 'service-map.svg'),
      join(out, 'service-map.png'),
      join(out, 'service-map.md'),
      join(out, `waterfall-${MEDIA}.txt`),
      join(out, `waterfall-${MEDIA}.svg`),
    ];
    expect(result).toEqual({ code: 0, stdout: files.map((f) => `${f}\n`).join(''), stderr: '' });
    const [svg, png, md, text, waterfall] = files.map((f) => readFileSync(f));
    expect(svg!.toString()).toContain('>slipway&#45;local&#45;media&#45;validate</text>');
    expect(png!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(md!.toString()).toBe(
      toMermaid(buildServiceGraph(readSegments(join(out, 'segments.jsonl')))),
    );
    expect(text!.toString().split('\n')[0]).toBe(`trace ${MEDIA} · 900.0 ms · 11 segments`);
    expect(waterfall!.toString()).toContain(`>trace ${MEDIA}</text>`);
  });

  it('writes to --out', async () => {
    const out = join(dir, 'elsewhere');
    const result = await cli(['--work-dir', dir, '--out', out]);
    expect(result.stdout).toBe(
      ['service-map.svg', 'service-map.png', 'service-map.md']
        .map((f) => `${join(out, f)}\n`)
        .join(''),
    );
  });

  it('says how to get segments when the work dir has none', async () => {
    const empty = join(dir, 'empty');
    expect(await cli(['--work-dir', empty])).toEqual({
      code: 1,
      stdout: '',
      stderr: `traces: No segments file at ${join(empty, 'traces', 'segments.jsonl')}. Run the sandbox first (npm start or npm run sandbox) so it captures traces, or pass --work-dir <dir> holding traces/segments.jsonl.\n`,
    });
  });

  it('says the sandbox captured nothing when the file is empty', async () => {
    const file = join(dir, 'traces', 'segments.jsonl');
    writeFileSync(file, '\n');
    expect(await cli(['--work-dir', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `traces: ${file} holds no segment documents: the sandbox captured no traces. Check that its functions run with tracing on (AWS_XRAY_DAEMON_ADDRESS set) and that the run invoked something.\n`,
    });
  });

  it('lists known traces for an unknown --trace and writes nothing', async () => {
    copyFileSync(join(FIXTURES, 'api-call.jsonl'), join(dir, 'traces', 'segments.jsonl'));
    expect(await cli(['--work-dir', dir, '--trace', 'upload-9'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'traces: No captured trace matches "upload-9" (as a trace id, execution ARN, request id or correlation id). Known traces: 1-6930e3a0-aaaaaaaaaaaaaaaaaaaaaaaa. Pass one of them to --trace.\n',
    });
    expect(readdirSync(join(dir, 'traces'))).toEqual(['segments.jsonl']);
  });
});
