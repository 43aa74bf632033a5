import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventParseError,
  parseEvent,
  S3ObjectCreatedEventSchema,
  ValidationDecisionSchema,
} from '../../src';

const objectCreated = () =>
  JSON.parse(readFileSync(join(__dirname, '../events/s3/object-created.json'), 'utf8'));

describe('S3ObjectCreatedEventSchema', () => {
  it('parses a real EventBridge Object Created event and keeps unknown fields', () => {
    const event = parseEvent(
      S3ObjectCreatedEventSchema,
      objectCreated(),
      'S3 Object Created event',
    );

    expect(event.detail.object).toMatchObject({
      key: 'uploads/2026/11/beach day.jpg',
      size: 48213,
    });
    expect(event.detail.bucket.name).toBe('slipway-dev-media-111111111111');
    expect((event.detail as Record<string, unknown>)['source-ip-address']).toBe('203.0.113.15');
  });

  it('names every failing field and keeps the zod error as cause', () => {
    const broken = objectCreated();
    broken['detail-type'] = 'Object Deleted';
    delete broken.detail.object.key;

    let error: unknown;
    try {
      parseEvent(S3ObjectCreatedEventSchema, broken, 'S3 Object Created event');
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(EventParseError);
    const parseError = error as EventParseError;
    expect(parseError.message).toMatch(/^Invalid S3 Object Created event: /);
    expect(parseError.issues).toEqual([
      'detail-type: Invalid input: expected "Object Created"',
      'detail.object.key: Invalid input: expected string, received undefined',
    ]);
    expect(parseError.cause).toBeDefined();
  });
});

describe('ValidationDecisionSchema', () => {
  const object = { bucket: 'slipway-dev-media-111111111111', key: 'uploads/a.jpg' };

  it('accepts an accepted and a rejected decision', () => {
    expect(
      ValidationDecisionSchema.parse({
        status: 'accepted',
        object,
        kind: 'image',
        mime: 'image/jpeg',
        size: 10,
      }),
    ).toMatchObject({ status: 'accepted' });
    expect(
      ValidationDecisionSchema.parse({
        status: 'rejected',
        object,
        size: 0,
        code: 'EMPTY',
        reason: 'The file is empty.',
      }),
    ).toMatchObject({ code: 'EMPTY' });
  });

  it('refuses a rejection without a reason and an acceptance of an empty file', () => {
    expect(() =>
      ValidationDecisionSchema.parse({ status: 'rejected', object, size: 0, code: 'EMPTY' }),
    ).toThrow();
    expect(() =>
      ValidationDecisionSchema.parse({
        status: 'accepted',
        object,
        kind: 'image',
        mime: 'image/jpeg',
        size: 0,
      }),
    ).toThrow();
  });
});
