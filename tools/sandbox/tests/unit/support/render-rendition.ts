import { allStates, loadFlow } from '@slipway/flows';
import { MEDIACONVERT_SYNC } from '../../../src';

/** The media item the tests render for. */
export const MEDIA_ID = '0123456789abcdef';

/**
 * The job `Settings` of the deployed flow, as the Task sends them for an upload
 * `s3://slipway-media/uploads/holiday.mov` of media item {@link MEDIA_ID}: the two fields the
 * ASL fills in per execution are resolved as Step Functions would, after checking that their
 * expressions are still the ones these values stand for.
 */
export function flowJobSettings(): Record<string, unknown> {
  const [, task] =
    allStates(loadFlow('media')).find(([, state]) => state.Resource === MEDIACONVERT_SYNC) ?? [];
  const parameters = task?.Parameters as { Settings?: unknown } | undefined;
  if (!parameters?.Settings) throw new Error(`no ${MEDIACONVERT_SYNC} Task in media.asl.json`);
  const settings = structuredClone(parameters.Settings) as {
    Inputs: Record<string, unknown>[];
    OutputGroups: { OutputGroupSettings: { FileGroupSettings: Record<string, unknown> } }[];
  };
  const [input] = settings.Inputs;
  const files = settings.OutputGroups[0].OutputGroupSettings.FileGroupSettings;
  expectExpression(
    input['FileInput.$'],
    "States.Format('s3://{}/{}', $.validation.object.bucket, $.validation.object.key)",
  );
  expectExpression(
    files['Destination.$'],
    "States.Format('s3://{}/{}rendition', $.validation.object.bucket, $.validation.derivedPrefix)",
  );
  delete input['FileInput.$'];
  delete files['Destination.$'];
  input.FileInput = 's3://slipway-media/uploads/holiday.mov';
  files.Destination = `s3://slipway-media/derived/${MEDIA_ID}/rendition`;
  return settings as unknown as Record<string, unknown>;
}

function expectExpression(actual: unknown, expected: string): void {
  if (actual !== expected) {
    throw new Error(
      `media.asl.json's RenderRendition now says ${JSON.stringify(actual)} where the tests resolve ${JSON.stringify(expected)}: update tests/unit/support/render-rendition.ts.`,
    );
  }
}
