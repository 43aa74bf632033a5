import { bodyLimitResult, maxBodyBytesOf } from '../../src';

describe('bodyLimitResult', () => {
  const event = (body: string | null, isBase64Encoded = false) => ({ body, isBase64Encoded });

  it('lets a body of exactly the limit through', () => {
    expect(bodyLimitResult(event('x'.repeat(4096)), 4096)).toBeUndefined();
  });

  it('answers 413 in the error schema one byte over the limit', () => {
    expect(bodyLimitResult(event('x'.repeat(4097)), 4096)).toEqual({
      statusCode: 413,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"PAYLOAD_TOO_LARGE","message":"The body is larger than this route accepts."}',
    });
  });

  it('counts the decoded bytes of a base64 body, not its text', () => {
    // 3,000 bytes are 4,000 base64 characters: under a 3,000-byte limit, over a 2,999 one.
    const encoded = Buffer.alloc(3000, 7).toString('base64');
    expect(bodyLimitResult(event(encoded, true), 3000)).toBeUndefined();
    expect(bodyLimitResult(event(encoded, true), 2999)?.statusCode).toBe(413);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(bodyLimitResult(event('é'.repeat(3)), 5)?.statusCode).toBe(413);
  });

  it('checks nothing without a limit, or without a body', () => {
    expect(bodyLimitResult(event('x'.repeat(100_000)), undefined)).toBeUndefined();
    expect(bodyLimitResult(event(null), 0)).toBeUndefined();
  });
});

describe('maxBodyBytesOf', () => {
  it("reads the http trigger's limit from a manifest", () => {
    expect(
      maxBodyBytesOf({
        triggers: [{ type: 'authorizer' }, { type: 'http', maxBodyBytes: 4096 }],
      }),
    ).toBe(4096);
    expect(maxBodyBytesOf({ triggers: [{ type: 'http' }] })).toBeUndefined();
    expect(maxBodyBytesOf({})).toBeUndefined();
  });
});
