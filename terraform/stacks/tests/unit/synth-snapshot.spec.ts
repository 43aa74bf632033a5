/**
 * The snapshot comparison of tests/support/synth-snapshot.ts can fail: each case clones the
 * committed snapshot (tests/fixtures/synth), breaks one thing and expects the exact lines a
 * reader gets from the integration test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  diffSnapshots,
  HASH_BASE64,
  HASH_HEX,
  normalizeStack,
  normalizeState,
  readSnapshot,
  stateWithHashes,
  type SynthSnapshot,
  withHashes,
} from '../support/synth-snapshot';

const SNAPSHOT = join(__dirname, '../fixtures/synth');
const snapshot = readSnapshot(SNAPSHOT);
/** A Lambda zip's SHA-256 (of the empty string) in both encodings. */
const BASE64 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

type Stack = Record<string, Record<string, Record<string, unknown>>>;
const stackOf = (s: SynthSnapshot, name: string) => s.stacks[name] as Stack;

describe('diffSnapshots', () => {
  it('finds nothing between the snapshot and its clone', () => {
    expect(Object.keys(snapshot.stacks)).toHaveLength(15);
    expect(diffSnapshots(snapshot, structuredClone(snapshot))).toEqual([]);
  });

  it.each<[string, (s: SynthSnapshot) => void, string[]]>([
    [
      'a renamed module address',
      (s) => {
        const modules = stackOf(s, 'media-dev').module!;
        modules.lambda_media_probe_v2 = modules.lambda_media_probe!;
        delete modules.lambda_media_probe;
      },
      ['media-dev: - module.lambda_media_probe', 'media-dev: + module.lambda_media_probe_v2'],
    ],
    [
      'a changed module variable',
      (s) => {
        stackOf(s, 'etl-dev').module!.lambda_etl_publish!.memory_size = 2048;
      },
      ['etl-dev: ~ module.lambda_etl_publish: memory_size'],
    ],
    [
      'a changed state key',
      (s) => {
        (stackOf(s, 'platform-prod').terraform!.backend as { s3: { key: string } }).s3.key =
          'prod/platform.tfstate';
      },
      ['platform-prod: ~ terraform: backend.s3.key'],
    ],
    [
      'a renamed output',
      (s) => {
        const outputs = stackOf(s, 'etl-staging').output!;
        outputs.flow_arn = outputs.flow_etl_arn!;
        delete outputs.flow_etl_arn;
      },
      ['etl-staging: + output.flow_arn', 'etl-staging: - output.flow_etl_arn'],
    ],
    [
      'a missing stack',
      (s) => {
        delete s.stacks['media-staging'];
        delete (s.manifest.stacks as Record<string, unknown>)['media-staging'];
      },
      ['~ manifest.json: stacks.media-staging', '- stack media-staging'],
    ],
  ])('names %s', (_case, breakIt, lines) => {
    // Prepare
    const broken = structuredClone(snapshot);
    breakIt(broken);

    // Act + Assess
    expect(diffSnapshots(snapshot, broken)).toEqual(lines);
  });
});

describe('normalizeStack and withHashes', () => {
  const synthesized = {
    '//': { metadata: { stackName: 'etl-dev', version: '0.24.0' } },
    module: {
      lambda_etl_publish: { s3_key: `dev/etl-publish/${HEX}.zip`, source_code_hash: BASE64 },
    },
  };

  it('replace the code hashes and the library version by placeholders, and back', () => {
    // Act
    const normalized = normalizeStack(synthesized);

    // Assess
    expect(normalized).toEqual({
      '//': { metadata: { stackName: 'etl-dev', version: '<cdk-version>' } },
      module: {
        lambda_etl_publish: {
          s3_key: `dev/etl-publish/${HASH_HEX}.zip`,
          source_code_hash: HASH_BASE64,
        },
      },
    });
    expect(withHashes(normalized, (lambda) => (lambda === 'etl-publish' ? BASE64 : ''))).toEqual({
      ...synthesized,
      '//': { metadata: { stackName: 'etl-dev', version: '<cdk-version>' } },
    });
  });

  it('keep an s3_key that does not follow the zip hash, so the comparison shows it', () => {
    // Prepare
    const stale = structuredClone(synthesized);
    stale.module.lambda_etl_publish.s3_key = 'dev/etl-publish/latest.zip';

    // Act + Assess
    expect(normalizeStack(stale).module).toEqual({
      lambda_etl_publish: { s3_key: 'dev/etl-publish/latest.zip', source_code_hash: BASE64 },
    });
  });
});

describe('normalizeState and stateWithHashes', () => {
  type State = {
    resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  const committed = JSON.parse(
    readFileSync(join(SNAPSHOT, 'etl-dev.applied-state.json'), 'utf8'),
  ) as State;
  const code = (state: State) =>
    state.resources
      .filter((r) => r.type === 'aws_lambda_function')
      .map((r) => r.instances[0]!.attributes)
      .map(({ function_name, s3_key, source_code_hash }) => ({
        function_name,
        s3_key,
        source_code_hash,
      }));

  it('put real hashes into the committed state of etl-dev and take them out again', () => {
    // Act
    const deployed = stateWithHashes(committed, () => BASE64);

    // Assess
    expect(code(deployed)).toEqual(
      ['aggregate', 'list-partitions', 'publish', 'reconcile', 'transform'].map((name) => ({
        function_name: `slipway-dev-etl-${name}`,
        s3_key: `dev/etl-${name}/${HEX}.zip`,
        source_code_hash: BASE64,
      })),
    );
    expect(normalizeState(deployed)).toEqual(committed);
  });
});
