import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventPatternError, validateEventPattern } from '@slipway/events';
import { loadTrigger, matchesPattern, transformInput } from '../../src';

const BUCKET = 'slipway-dev-media-111111111111';
const s3Event = () =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../events/tests/events/s3/object-created.json'), 'utf8'),
  );

describe('media trigger', () => {
  const trigger = loadTrigger('media', BUCKET);

  it('matches Object Created events of the media bucket under uploads/', () => {
    expect(matchesPattern(trigger.eventPattern, s3Event())).toBe(true);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture is mutated as plain JSON
  it.each<[string, (e: Record<string, any>) => void]>([
    ['another bucket', (e) => (e.detail.bucket.name = 'other-bucket')],
    ['a key outside uploads/', (e) => (e.detail.object.key = 'derived/abc/thumb.jpg')],
    ['another event type', (e) => (e['detail-type'] = 'Object Deleted')],
  ])('ignores %s', (_label, mutate) => {
    const event = s3Event();
    mutate(event);

    expect(matchesPattern(trigger.eventPattern, event)).toBe(false);
  });

  it('builds the flow input with the input transformer, JSON-quoting strings and keeping numbers', () => {
    expect(transformInput(trigger, s3Event())).toEqual({
      object: {
        bucket: BUCKET,
        key: 'uploads/2026/11/beach day.jpg',
        versionId: 'IYV3p45BhZA1jN1Rr6ZwG8fXkbLs',
        etag: 'b1946ac92492d2347c6235b4d2611184',
        size: 48213,
      },
      correlationId: '17793124-05d4-b198-2fde-7ededc63b103',
    });
  });

  it('writes null for a path the event lacks (unversioned bucket)', () => {
    const event = s3Event();
    delete event.detail.object['version-id'];

    expect(
      (transformInput(trigger, event) as { object: { versionId: unknown } }).object.versionId,
    ).toBeNull();
  });

  it('is a valid EventBridge pattern for the media bucket', () => {
    expect(validateEventPattern(trigger.eventPattern)).toEqual([]);
    expect(trigger.eventPattern.detail).toEqual({
      bucket: { name: [BUCKET] },
      object: { key: [{ prefix: 'uploads/' }] },
    });
  });

  it('matches numeric operators like EventBridge (the fixture object is 48213 bytes)', () => {
    const size = (numeric: unknown[]) => ({ detail: { object: { size: [{ numeric }] } } });

    expect(matchesPattern(size(['>', 0, '<=', 48213]), s3Event())).toBe(true);
    expect(matchesPattern(size(['>', 48213]), s3Event())).toBe(false);
  });

  it('refuses a pattern EventBridge would reject rather than matching wrongly', () => {
    expect(() =>
      matchesPattern({ detail: { object: { size: [{ numeric: ['>', 10, '<', 5] }] } } }, s3Event()),
    ).toThrow(EventPatternError);
  });
});
