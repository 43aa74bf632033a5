import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { derivedJson, extractImageMetadata } from '@slipway/media';
import { INSPECT_USAGE, runInspect } from '../../src/inspect';

const FIXTURES = resolve(__dirname, '../../../../libs/media/tests/fixtures');
const fixture = (name: string) => join(FIXTURES, name);

/** Runs the command with captured output and an environment that sets no limits. */
async function inspect(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runInspect(
    argv,
    { out: (text) => (out += text), err: (text) => (err += text) },
    env,
  );
  return { code, out, err };
}

describe('media:inspect', () => {
  it('prints the metadata.json the Metadata step stores for a JPEG with EXIF and GPS', async () => {
    // Prepare
    const file = fixture('images/exif-gps.jpg');
    const stored = derivedJson(await extractImageMetadata(readFileSync(file)));

    // Act
    const { code, out, err } = await inspect([file]);

    // Assess
    expect(code).toBe(0);
    expect(out).toBe(stored.toString());
    expect(JSON.parse(out)).toMatchObject({
      format: 'jpeg',
      width: 4000,
      height: 3000,
      captureTime: {
        value: '2024-05-01T14:03:22+02:00',
        offset: '+02:00',
        local: false,
        source: 'exif',
      },
      gps: { latitude: 48.8583, longitude: 2.2945, altitude: 35 },
      make: 'Slipway',
      model: 'Test Camera',
    });
    expect(err).toContain(`${file}: metadata.json\n`);
    expect(err).toContain('thumbnails would be webp 256×192, jpeg 256×192, webp 1024×768');
  });

  it('prints the probe.json of a video, and the Validate decision when asked', async () => {
    // Prepare
    const file = fixture('videos/clip.mp4');

    // Act
    const { code, out } = await inspect(['--decision', file]);

    // Assess
    expect(code).toBe(0);
    const [decision, probe] = out
      .trim()
      .split(/\n(?=\{)/)
      .map((part) => JSON.parse(part) as Record<string, unknown>);
    expect(decision).toMatchObject({ status: 'accepted', kind: 'video', mime: 'video/mp4' });
    expect(probe).toMatchObject({ container: 'mp4', video: { codec: 'h264', width: 640 } });
  });

  it('exits 1 with the rejection reason for a PDF named .jpg', async () => {
    // Prepare
    const file = fixture('invoice.jpg');

    // Act
    const { code, out, err } = await inspect([file]);

    // Assess
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('rejected (TYPE_NOT_ALLOWED)');
    expect(err).toContain('application/pdf');
  });

  it('exits 1 saying the file would be quarantined when it cannot be decoded', async () => {
    // Prepare
    const file = fixture('images/truncated.jpg');

    // Act
    const { code, err } = await inspect([file]);

    // Assess
    expect(code).toBe(1);
    expect(err).toMatch(/would be quarantined: [A-Z_]+: /);
  });

  it('prints the Validate decision with --decision also when a later step would quarantine', async () => {
    // Prepare: a truncated JPEG passes Validate; its thumbnails cannot be decoded.
    const file = fixture('images/truncated.jpg');

    // Act
    const { code, out, err } = await inspect(['--decision', file]);

    // Assess
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      status: 'accepted',
      kind: 'image',
      mime: 'image/jpeg',
    });
    expect(err).toContain(`${file}: Validate decision\n`);
    expect(err).toMatch(/would be quarantined: [A-Z_]+: /);
  });

  it('applies MAX_INPUT_PIXELS as the Metadata Lambda does', async () => {
    // Prepare: 4000 × 3000 is 12 MP, over a 1 MP limit.
    const file = fixture('images/exif-gps.jpg');

    // Act
    const { code, err } = await inspect([file], { MAX_INPUT_PIXELS: '1000000' });

    // Assess
    expect(code).toBe(1);
    expect(err).toContain('would be quarantined');
  });

  it.each([
    [['missing.jpg'], 'missing.jpg: cannot be read: it does not exist'],
    [[], 'Name at least one file to inspect.'],
    [['--frobnicate', 'a.jpg'], "Unknown option '--frobnicate'"],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    // Act
    const { code, err } = await inspect(argv);

    // Assess
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('exits 2 naming the variable when a limit is not a number', async () => {
    // Act
    const { code, err } = await inspect([fixture('images/small.png')], {
      MAX_INPUT_PIXELS: 'lots',
    });

    // Assess
    expect(code).toBe(2);
    expect(err).toContain('MAX_INPUT_PIXELS');
  });

  it('prints its usage for --help', async () => {
    // Act
    const { code, out } = await inspect(['--help']);

    // Assess
    expect(code).toBe(0);
    expect(out).toBe(`${INSPECT_USAGE}\n`);
  });
});
