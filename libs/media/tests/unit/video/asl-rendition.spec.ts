import { loadFlow } from '@slipway/flows';
import { mediaConvertJobSettings } from '../../../src';

/**
 * One definition of the rendition: the MediaConvert settings in the flow that Terraform deploys
 * must be exactly what `mediaConvertJobSettings` builds (which the sandbox's ffmpeg mirrors),
 * except the two fields the flow fills in per execution.
 */
describe('the media flow renders with RENDITION_720P', () => {
  it('has the same MediaConvert settings as mediaConvertJobSettings, input and destination aside', () => {
    const task = loadFlow('media').States.ProcessVideo.Branches![2].States.RenderRendition;
    const inFlow = JSON.parse(JSON.stringify((task.Parameters as { Settings: unknown }).Settings));
    const expected = mediaConvertJobSettings({
      inputUrl: 's3://bucket/uploads/a.mp4',
      destination: 's3://bucket/derived/0123456789abcdef/rendition',
    }) as unknown as typeof inFlow;

    expect(inFlow.Inputs[0]['FileInput.$']).toContain('$.validation.object.key');
    expect(inFlow.OutputGroups[0].OutputGroupSettings.FileGroupSettings['Destination.$']).toContain(
      '$.validation.derivedPrefix',
    );
    delete inFlow.Inputs[0]['FileInput.$'];
    delete inFlow.OutputGroups[0].OutputGroupSettings.FileGroupSettings['Destination.$'];
    delete expected.Inputs[0].FileInput;
    delete expected.OutputGroups[0].OutputGroupSettings.FileGroupSettings.Destination;
    expect(inFlow).toEqual(expected);
  });
});
