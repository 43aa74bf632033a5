import { putEvent } from '../../src/put-event';
import type { Sandbox } from '../../src/sandbox';

/** `--put-event` refuses a bad event before anything is put, naming each field and what to write. */
describe('putEvent input', () => {
  // Nothing may be touched for a bad input: any access to the sandbox fails the test.
  const untouched = new Proxy({} as Sandbox, {
    get: (_target, key) => {
      throw new Error(`the sandbox was used (${String(key)}) for a bad input`);
    },
  });
  const valid = {
    bus: 'platform',
    source: 'slipway.sessions',
    'detail-type': 'SessionConfirmed',
    detail: { bookingId: 'b1' },
  };

  it.each([
    [
      'not JSON',
      '{"source":',
      /^--put-event is not JSON \(.+\): pass e\.g\. '\{"bus":"platform","source":"slipway\.sessions","detail-type":"SessionConfirmed","detail":\{…\}\}'\.$/,
    ],
    [
      'no detail-type',
      JSON.stringify({ ...valid, 'detail-type': undefined }),
      /^--put-event: detail-type: must name the event, e\.g\. "SessionConfirmed"$/,
    ],
    [
      'a bus that is not a logical name',
      JSON.stringify({ ...valid, bus: 'slipway-local-Platform' }),
      /^--put-event: bus: must be a logical bus name, e\.g\. "platform"$/,
    ],
    [
      'a detail that is not an object',
      JSON.stringify({ ...valid, detail: 'hello' }),
      /^--put-event: detail: must be a JSON object$/,
    ],
    [
      'an unknown field',
      JSON.stringify({ ...valid, DetailType: 'SessionConfirmed' }),
      /^--put-event: \(event\): Unrecognized key: "DetailType"$/,
    ],
  ])('refuses %s', async (_case, json, message) => {
    await expect(putEvent(untouched, json)).rejects.toThrow(message);
  });
});
