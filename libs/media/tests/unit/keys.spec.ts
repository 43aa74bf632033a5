import { allStates, loadFlow } from '@slipway/flows';
import {
  derivedPrefixOf,
  derivedRoleOf,
  manifestKey,
  MediaError,
  metadataKey,
  posterKey,
  posterThumbnailKey,
  probeKey,
  quarantineCopyKey,
  quarantineSidecarKey,
  renditionDestination,
  renditionKey,
  thumbnailKey,
} from '../../src';

const MEDIA_ID = '0123456789abcdef';

describe('the media bucket key layout', () => {
  it.each<[string, string, string]>([
    ['derived prefix', derivedPrefixOf(MEDIA_ID), 'derived/0123456789abcdef/'],
    [
      'WebP thumbnail',
      thumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' }),
      'derived/0123456789abcdef/thumb-256.webp',
    ],
    [
      'JPEG thumbnail',
      thumbnailKey(MEDIA_ID, { longEdge: 2048, format: 'jpeg' }),
      'derived/0123456789abcdef/thumb-2048.jpg',
    ],
    ['metadata', metadataKey(MEDIA_ID), 'derived/0123456789abcdef/metadata.json'],
    ['probe', probeKey(MEDIA_ID), 'derived/0123456789abcdef/probe.json'],
    ['poster', posterKey(MEDIA_ID), 'derived/0123456789abcdef/poster.jpg'],
    [
      'poster thumbnail',
      posterThumbnailKey(MEDIA_ID, { longEdge: 1024, format: 'jpeg' }),
      'derived/0123456789abcdef/poster-thumb-1024.jpg',
    ],
    ['rendition', renditionKey(MEDIA_ID), 'derived/0123456789abcdef/rendition-720p.mp4'],
    [
      'MediaConvert destination',
      renditionDestination('slipway-media', MEDIA_ID),
      's3://slipway-media/derived/0123456789abcdef/rendition',
    ],
    ['manifest', manifestKey(MEDIA_ID), 'derived/0123456789abcdef/manifest.json'],
    [
      'quarantined copy',
      quarantineCopyKey(MEDIA_ID, 'uploads/2026/11/beach day.jpg'),
      'quarantine/0123456789abcdef/beach day.jpg',
    ],
    [
      'quarantine reason',
      quarantineSidecarKey(MEDIA_ID),
      'quarantine/0123456789abcdef/reason.json',
    ],
  ])('%s', (_what, key, expected) => {
    expect(key).toBe(expected);
  });

  it.each(['0123456789ABCDEF', '0123', 'derived/0123456789abcdef/', ''])(
    'refuses to build a key from the id %j',
    (id) => {
      expect(() => metadataKey(id)).toThrow(MediaError);
      expect(() => renditionDestination('slipway-media', id)).toThrow(
        `mediaId must be 16 lowercase hex digits, got ${JSON.stringify(id)}: use mediaIdOf(object).`,
      );
      expect(() => quarantineSidecarKey(id)).toThrow(MediaError);
    },
  );
});

describe('derivedRoleOf', () => {
  // Every key a Task writes, built by the module, maps back to the role it was written with.
  it.each<[string, string]>([
    [thumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' }), 'thumbnail'],
    [thumbnailKey(MEDIA_ID, { longEdge: 1024, format: 'jpeg' }), 'thumbnail'],
    [metadataKey(MEDIA_ID), 'metadata'],
    [probeKey(MEDIA_ID), 'probe'],
    [posterKey(MEDIA_ID), 'poster'],
    [posterThumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' }), 'poster'],
    [renditionKey(MEDIA_ID), 'rendition'],
    [manifestKey(MEDIA_ID), 'manifest'],
  ])('%s is a %s', (key, role) => {
    expect(derivedRoleOf(key)).toBe(role);
  });

  it.each([
    'derived/0123456789abcdef/notes.txt',
    'derived/0123456789abcdef/thumb-256.png',
    'derived/0123456789abcdef/rendition-1080p.mp4',
  ])('refuses %s, which no Task writes', (key) => {
    expect(() => derivedRoleOf(key)).toThrow(
      `${key} is not a derived object of the media flow (see libs/media/src/keys.ts for the names its Tasks write); remove it or add its name to the layout.`,
    );
  });
});

describe('the media flow writes the rendition at renditionKey', () => {
  type Settings = {
    OutputGroups: {
      OutputGroupSettings: { FileGroupSettings: { 'Destination.$': string } };
      Outputs: { NameModifier: string; Extension: string }[];
    }[];
  };

  /** Evaluates `States.Format('…{}…', $.a.b, …)` against `state`, as Step Functions does. */
  function statesFormat(expression: string, state: unknown): string {
    const [, template, args] = /^States\.Format\('([^']*)'((?:\s*,\s*\$[.\w]+)*)\)$/.exec(
      expression,
    )!;
    const values = args
      .split(',')
      .slice(1)
      .map((path) =>
        path
          .trim()
          .slice(2)
          .split('.')
          .reduce((at: unknown, field) => (at as Record<string, unknown>)[field], state),
      );
    return template.replace(/\{\}/g, () => String(values.shift()));
  }

  it('builds the MediaConvert destination, name modifier and extension into renditionKey', () => {
    // Prepare: the Task that creates the MediaConvert job, wherever it sits in the flow.
    const [name, task] = allStates(loadFlow('media')).find(
      ([, s]) => s.Resource === 'arn:aws:states:::mediaconvert:createJob.sync',
    )!;
    const group = (task.Parameters as { Settings: Settings }).Settings.OutputGroups[0];
    const state = {
      validation: {
        object: { bucket: 'slipway-media', key: 'uploads/clip.mp4' },
        derivedPrefix: derivedPrefixOf(MEDIA_ID),
      },
    };

    // Act
    const destination = statesFormat(
      group.OutputGroupSettings.FileGroupSettings['Destination.$'],
      state,
    );
    const [output] = group.Outputs;

    // Assess
    expect(name).toBe('RenderRendition');
    expect(destination).toBe(renditionDestination('slipway-media', MEDIA_ID));
    expect(`${destination}${output.NameModifier}.${output.Extension}`).toBe(
      `s3://slipway-media/${renditionKey(MEDIA_ID)}`,
    );
  });
});
