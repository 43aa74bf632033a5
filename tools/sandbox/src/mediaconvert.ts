import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { renderRendition } from '@slipway/media';
import type { ServiceHandler } from './flow-runner';

/** The Resource of the Task that runs a MediaConvert job and waits for it. */
export const MEDIACONVERT_SYNC = 'arn:aws:states:::mediaconvert:createJob.sync';

type JobSettings = {
  Inputs: { FileInput: string }[];
  OutputGroups: {
    OutputGroupSettings: { FileGroupSettings: { Destination: string } };
    Outputs: { NameModifier?: string; Extension?: string }[];
  }[];
};

const parseS3Url = (url: string) => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match)
    throw Object.assign(new Error(`Not an s3:// URL: ${url}`), {
      name: 'MediaConvert.BadRequestException',
    });
  return { bucket: match[1], key: match[2] };
};

/**
 * Stands in for `mediaconvert:createJob.sync`: reads the job's input from S3, renders it with
 * ffmpeg using the same rendition definition the flow's MediaConvert settings come from
 * (`RENDITION_720P`), and writes the output where MediaConvert would: destination + name
 * modifier + extension. Answers with a completed `Job`, like the .sync integration.
 */
export function localMediaConvert(s3: S3Client): ServiceHandler {
  return async (parameters) => {
    const settings = parameters.Settings as JobSettings;
    const input = parseS3Url(settings.Inputs[0].FileInput);
    const group = settings.OutputGroups[0];
    const output = group.Outputs[0];
    const destination = parseS3Url(group.OutputGroupSettings.FileGroupSettings.Destination);
    const outputKey = `${destination.key}${output.NameModifier ?? ''}.${output.Extension ?? 'mp4'}`;
    const dir = await mkdtemp(join(tmpdir(), 'slipway-mediaconvert-'));
    try {
      const source = join(dir, 'input');
      const target = join(dir, 'output.mp4');
      const object = await s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }));
      await pipeline(object.Body as Readable, createWriteStream(source));
      try {
        await renderRendition(source, target);
      } catch (error) {
        // MediaConvert reports an unusable input as a failed job.
        throw Object.assign(new Error((error as Error).message), {
          name: 'MediaConvert.JobFailed',
        });
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: destination.bucket,
          Key: outputKey,
          Body: await readFile(target),
          ContentType: 'video/mp4',
        }),
      );
      return { Job: { Id: `local-${randomUUID()}`, Status: 'COMPLETE', Settings: settings } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
