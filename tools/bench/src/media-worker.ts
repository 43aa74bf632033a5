/**
 * Child process of the media bench (run with tsx so `@slipway/media` resolves from source).
 * Reads one image and times, in this one process, the `Thumbnails` step (`generateThumbnails`:
 * one decode, shrink-on-load, three sizes × WebP + JPEG) against the baseline: raw sharp doing
 * the same three resizes from the original with the same encoders, one pipeline per size.
 *
 *   tsx media-worker.ts <image> <mode> <iterations>
 *   mode: both (alternating, for the ratio) | step | raw (one kind only, for its peak RSS)
 *
 * Prints one JSON line: { step: ms[], raw: ms[], maxRssBytes, outputs }.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  generateThumbnails,
  JPEG_OPTIONS,
  THUMBNAIL_LONG_EDGES,
  WEBP_OPTIONS,
} from '@slipway/media';

/** One measured call and the number of encoded images it produced. */
type Run = () => Promise<number>;

/** The baseline: what a developer would write with sharp alone for the same outputs. */
async function rawSharp(input: Buffer): Promise<number> {
  let outputs = 0;
  for (const edge of THUMBNAIL_LONG_EDGES) {
    const resized = sharp(input)
      .autoOrient()
      .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true });
    await resized.clone().webp(WEBP_OPTIONS).toBuffer();
    await resized.clone().jpeg(JPEG_OPTIONS).toBuffer();
    outputs += 2;
  }
  return outputs;
}

async function time(run: Run): Promise<{ ms: number; outputs: number }> {
  const start = process.hrtime.bigint();
  const outputs = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, outputs };
}

async function main(): Promise<void> {
  const [file, mode, rawIterations] = process.argv.slice(2);
  const iterations = Number(rawIterations);
  if (!file || !['both', 'step', 'raw'].includes(mode) || !(iterations >= 1))
    throw new Error('usage: media-worker.ts <image> <both|step|raw> <iterations ≥ 1>');
  const input = readFileSync(file);
  const step: Run = async () => (await generateThumbnails(input)).length;
  const raw: Run = () => rawSharp(input);
  const kinds: [string, Run][] = [];
  if (mode !== 'raw') kinds.push(['step', step]);
  if (mode !== 'step') kinds.push(['raw', raw]);
  // One unmeasured warm-up of each: libvips' thread pool and operation cache start cold.
  const outputs: Record<string, number> = {};
  for (const [name, run] of kinds) outputs[name] = (await time(run)).outputs;
  const samples: Record<string, number[]> = { step: [], raw: [] };
  for (let i = 0; i < iterations; i++) {
    // Alternate which goes first so a slow-down mid-run lands on both.
    const order = i % 2 === 0 ? kinds : [...kinds].reverse();
    for (const [name, run] of order) samples[name].push((await time(run)).ms);
  }
  process.stdout.write(
    `${JSON.stringify({ ...samples, maxRssBytes: process.resourceUsage().maxRSS * 1024, outputs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
