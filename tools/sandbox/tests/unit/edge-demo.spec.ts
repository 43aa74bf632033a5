import { edgeDemoProblems, type EdgeDemoResult } from '../../src/edge-demo';

// npm start fails on any of these: each broken field must give its own sentence.
const AS_EXPECTED: EdgeDemoResult = {
  presignWithoutToken: 401,
  presign: 200,
  uploadKey: 'uploads/user-demo-0001/0b6c7a52-0000-4000-8000-000000000000.jpg',
  upload: 204,
  flow: { status: 'SUCCEEDED', manifestKey: 'derived/6b5dbd2252b74b91/manifest.json' },
  mediaProcessed: 1,
  webhook: { signed: 200, redelivered: 200, unsigned: 400 },
  paymentSucceeded: 1,
};

describe('edgeDemoProblems', () => {
  it('finds nothing in a run that is as expected', () => {
    expect(edgeDemoProblems(AS_EXPECTED)).toEqual([]);
  });

  it.each<[string, Partial<EdgeDemoResult>, string]>([
    [
      'an anonymous presign that passed',
      { presignWithoutToken: 200 },
      'POST /uploads without a token answered 200, expected 401: the gateway must refuse a JWT route without Authorization.',
    ],
    [
      'a failed flow',
      { flow: { status: 'FAILED' } },
      'The media flow for the upload ended FAILED without a manifest, expected SUCCEEDED with a manifest: see the logs of the media-* functions.',
    ],
    [
      'no MediaProcessed',
      { mediaProcessed: 0 },
      '0 MediaProcessed events for the upload on the bus, expected 1.',
    ],
    [
      'an accepted unsigned webhook',
      { webhook: { signed: 200, redelivered: 200, unsigned: 200 } },
      'The unsigned Stripe webhook answered 200, expected 400: see dist/sandbox/logs/edge-stripe-webhook.log.',
    ],
    [
      'a redelivery that published again',
      { paymentSucceeded: 2 },
      '2 PaymentSucceeded events on the bus, expected 1: a redelivery must not publish again.',
    ],
  ])('names %s', (_case, broken, problem) => {
    expect(edgeDemoProblems({ ...AS_EXPECTED, ...broken })).toEqual([problem]);
  });
});
