import { reasonOf } from '../../../src/pipeline';

const object = { bucket: 'slipway-local-media', key: 'uploads/a.jpg' };
const validation = (decision: Record<string, unknown>) => ({
  mediaId: '0123456789abcdef',
  status: String(decision.status),
  decision,
});
const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage, trace: [] });

describe('reasonOf', () => {
  it('takes a rejected decision as a handled rejection with its code and reason', () => {
    expect(
      reasonOf({
        object,
        validation: validation({ status: 'rejected', code: 'EMPTY', reason: 'The file is empty.' }),
      }),
    ).toEqual({ outcome: 'rejected', code: 'EMPTY', reason: 'The file is empty.' });
  });

  it('takes a caught MediaInputError as a handled rejection with its problem code', () => {
    const error = {
      Error: 'MediaInputError',
      Cause: lambdaCause('MediaInputError', 'DECOMPRESSION_BOMB: 50000x50000 is over 100 MP'),
    };

    expect(reasonOf({ object, validation: validation({ status: 'accepted' }), error })).toEqual({
      outcome: 'rejected',
      code: 'DECOMPRESSION_BOMB',
      reason: '50000x50000 is over 100 MP',
    });
  });

  it('takes any other caught error as a fault', () => {
    const error = {
      Error: 'Sandbox.Timedout',
      Cause: lambdaCause('Sandbox.Timedout', 'Task timed out after 60 seconds'),
    };

    expect(reasonOf({ object, error })).toEqual({
      outcome: 'failed',
      code: 'PROCESSING_FAILED',
      reason: 'Sandbox.Timedout: Task timed out after 60 seconds',
    });
  });

  it('takes the error of a failed Parallel branch, preferring bad input over a sibling fault', () => {
    const branches = [
      {
        failed: true,
        error: { Error: 'Sandbox.Timedout', Cause: lambdaCause('Sandbox.Timedout', 'late') },
      },
      {
        failed: true,
        error: {
          Error: 'MediaInputError',
          Cause: lambdaCause('MediaInputError', 'CORRUPT_IMAGE: truncated'),
        },
      },
      { failed: false },
    ];

    expect(
      reasonOf({ object, validation: validation({ status: 'accepted' }), outputs: { branches } }),
    ).toEqual({
      outcome: 'rejected',
      code: 'CORRUPT_IMAGE',
      reason: 'truncated',
    });
  });

  it('reads a non-JSON cause (service integrations) as the message', () => {
    expect(
      reasonOf({ object, error: { Error: 'States.Timeout', Cause: 'Task timed out.' } }).reason,
    ).toBe('States.Timeout: Task timed out.');
  });
});
