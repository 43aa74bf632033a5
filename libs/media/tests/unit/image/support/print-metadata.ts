/**
 * Child process of timezone.spec.ts: prints, as one JSON line, the UTC offset this process runs
 * at, how exifr's default (revived) DateTimeOriginal of the first file comes out here, and
 * extractImageMetadata of every file given.
 *
 * Run from the repository root (tsx reads the path aliases from its tsconfig.json):
 * TZ=Asia/Kolkata node --import tsx libs/media/tests/unit/image/support/print-metadata.ts a.jpg b.jpg
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseExif } from 'exifr';
import { extractImageMetadata } from '../../../../src/image';

async function main(files: string[]): Promise<void> {
  const metadata: Record<string, unknown> = {};
  for (const file of files) {
    metadata[path.basename(file)] = await extractImageMetadata(readFileSync(file));
  }
  const revived: unknown = (await parseExif(readFileSync(files[0])))?.DateTimeOriginal;
  console.log(
    JSON.stringify({
      // Minutes UTC is ahead of local time on the fixtures' capture day (getTimezoneOffset).
      offsetMinutes: new Date(Date.UTC(2024, 4, 1, 12)).getTimezoneOffset(),
      revivedDateTimeOriginal: revived instanceof Date ? revived.toISOString() : null,
      metadata,
    }),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
