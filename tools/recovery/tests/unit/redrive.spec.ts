import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AwsRecoveryBackend,
  formatRedriveTable,
  QueueNotFoundError,
  readInvocationRecord,
  redrive,
  UsageError,
} from '../../src';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/records', `${name}.json`), 'utf8');
const SES_DOWN = fixture('ses-down');
const EVENT_AGE = fixture('event-age');
const QUEUE = 'slipway-dev-jobs-welcome-email-dlq';
const URL = `https://sqs.eu-west-1.amazonaws.com/123456789012/${QUEUE}`;
const WELCOME_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-jobs-welcome-email:$LATEST';
const REMINDERS_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-jobs-session-reminders:$LATEST';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const sfn = mockClient(SFNClient);
let backend: AwsRecoveryBackend;

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  sfn.reset();
  backend = new AwsRecoveryBackend({
    region: 'eu-west-1',
    sqs: new SQSClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    sfn: new SFNClient({ region: 'eu-west-1' }),
  });
  sqs.on(GetQueueUrlCommand, { QueueName: QUEUE }).resolves({ QueueUrl: URL });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

const message = (id: string, body: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: body,
});
/** The queue answers these batches in turn, then nothing. */
function queueHolds(...batches: Message[][]): void {
  const receive = sqs.on(ReceiveMessageCommand);
  for (const batch of batches) receive.resolvesOnce({ Messages: batch });
  receive.resolves({});
}
const invoked = () =>
  lambda.commandCalls(InvokeCommand).map((c) => ({
    FunctionName: c.args[0].input.FunctionName,
    InvocationType: c.args[0].input.InvocationType,
    Payload: JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')),
  }));
const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input);
const released = () =>
  sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((c) => c.args[0].input);

describe('redrive on AWS (SQS, Lambda)', () => {
  it('re-sends each record’s requestPayload to its function as an Event invoke and deletes what was accepted', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN), message('m-2', EVENT_AGE)]);

    // Act
    const report = await redrive(backend, { queue: QUEUE });

    // Assess
    expect(report).toEqual({
      queue: URL,
      dryRun: false,
      rows: [
        {
          messageId: 'm-1',
          functionName: 'slipway-dev-jobs-welcome-email',
          requestId: '6d0f0c1e-2b7a-4a55-9d3e-0a4c1f5b7e21',
          outcome: 'redriven',
        },
        {
          messageId: 'm-2',
          functionName: 'slipway-dev-jobs-session-reminders',
          requestId: 'c3a1b2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          outcome: 'redriven',
        },
      ],
      redriven: 2,
      kept: 0,
    });
    expect(invoked()).toEqual([
      {
        FunctionName: WELCOME_ARN,
        InvocationType: 'Event',
        Payload: JSON.parse(SES_DOWN).requestPayload,
      },
      {
        FunctionName: REMINDERS_ARN,
        InvocationType: 'Event',
        Payload: { scheduledTime: '2026-12-03T05:00:00Z' },
      },
    ]);
    expect(deleted()).toEqual([
      { QueueUrl: URL, ReceiptHandle: 'rh-m-1' },
      { QueueUrl: URL, ReceiptHandle: 'rh-m-2' },
    ]);
    expect(released()).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: URL,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 300,
      WaitTimeSeconds: 2,
    });
  });

  it('keeps a message whose re-send Lambda refused, says why, deletes only the other and releases the kept one', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN), message('m-2', EVENT_AGE)]);
    lambda.on(InvokeCommand, { FunctionName: REMINDERS_ARN }).rejects(
      new ResourceNotFoundException({
        message: `Function not found: ${REMINDERS_ARN}`,
        $metadata: {},
      }),
    );

    // Act
    const report = await redrive(backend, { queue: URL });

    // Assess
    expect(report.rows.map((r) => [r.messageId, r.outcome, r.reason])).toEqual([
      ['m-1', 'redriven', undefined],
      [
        'm-2',
        'kept',
        `re-send failed: ResourceNotFoundException: Function not found: ${REMINDERS_ARN}`,
      ],
    ]);
    expect(deleted()).toEqual([{ QueueUrl: URL, ReceiptHandle: 'rh-m-1' }]);
    expect(released()).toEqual([
      { QueueUrl: URL, Entries: [{ Id: '0', ReceiptHandle: 'rh-m-2', VisibilityTimeout: 0 }] },
    ]);
    // A URL needs no GetQueueUrl.
    expect(sqs.commandCalls(GetQueueUrlCommand)).toEqual([]);
  });

  it('--dry-run lists what would be re-sent, invokes and deletes nothing, and makes every message visible again', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN), message('m-2', 'not json')]);

    // Act
    const report = await redrive(backend, { queue: QUEUE, dryRun: true });

    // Assess
    expect(formatRedriveTable(report)).toBe(
      [
        'MESSAGE ID  FUNCTION                        REQUEST ID                            OUTCOME',
        'm-1         slipway-dev-jobs-welcome-email  6d0f0c1e-2b7a-4a55-9d3e-0a4c1f5b7e21  would redrive',
        'm-2         -                               -                                     kept: body is not JSON (SyntaxError: Unexpected token \'o\', "not json" is not valid JSON): not a Lambda invocation record',
        `1 would redrive, 1 kept (${URL})`,
      ].join('\n'),
    );
    expect(invoked()).toEqual([]);
    expect(deleted()).toEqual([]);
    expect(released()).toEqual([
      {
        QueueUrl: URL,
        Entries: [
          { Id: '0', ReceiptHandle: 'rh-m-1', VisibilityTimeout: 0 },
          { Id: '1', ReceiptHandle: 'rh-m-2', VisibilityTimeout: 0 },
        ],
      },
    ]);
  });

  it('handles at most --limit messages, asking SQS for no more than remain', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN), message('m-2', EVENT_AGE)], [message('m-3', SES_DOWN)]);

    // Act
    const report = await redrive(backend, { queue: QUEUE, limit: 2 });

    // Assess
    expect(report.rows.map((r) => r.messageId)).toEqual(['m-1', 'm-2']);
    expect(
      sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.MaxNumberOfMessages),
    ).toEqual([2]);
  });

  it('stops at a message it has seen (its visibility timeout ran out) instead of re-sending it twice', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN)], [message('m-1', SES_DOWN), message('m-2', EVENT_AGE)]);

    // Act
    const report = await redrive(backend, { queue: QUEUE });

    // Assess
    expect(report.rows.map((r) => [r.messageId, r.outcome])).toEqual([['m-1', 'redriven']]);
    expect(invoked().map((i) => i.FunctionName)).toEqual([WELCOME_ARN]);
    expect(released()[0]!.Entries!.map((e) => e.ReceiptHandle)).toEqual(['rh-m-1', 'rh-m-2']);
  });

  it('keeps a re-sent message whose delete failed, saying the next redrive sends it again', async () => {
    // Prepare
    queueHolds([message('m-1', SES_DOWN)]);
    sqs.on(DeleteMessageCommand).rejects(
      Object.assign(new Error('The receipt handle has expired.'), {
        name: 'ReceiptHandleIsInvalid',
      }),
    );

    // Act
    const report = await redrive(backend, { queue: QUEUE });

    // Assess
    expect(report.rows.map((r) => [r.outcome, r.reason])).toEqual([
      [
        'kept',
        're-sent, but DeleteMessage failed (ReceiptHandleIsInvalid: The receipt handle has expired.): the next redrive will send it again',
      ],
    ]);
  });

  it('says the queue does not exist, naming the region and the -dlq convention', async () => {
    // Prepare
    sqs
      .on(GetQueueUrlCommand)
      .rejects(
        new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }),
      );

    // Act
    const act = redrive(backend, { queue: 'slipway-dev-nope-dlq' });

    // Assess
    await expect(act).rejects.toThrow(QueueNotFoundError);
    await expect(act).rejects.toThrow(
      "no queue slipway-dev-nope-dlq in eu-west-1. A function's dead-letter queue is <function name>-dlq (e.g. slipway-dev-jobs-welcome-email-dlq): check the name and --region.",
    );
  });

  it.each([
    [0, 'limit 0 is not a positive integer'],
    [1.5, 'limit 1.5 is not a positive integer'],
    [-3, 'limit -3 is not a positive integer'],
  ])('refuses limit %p before touching the queue', async (limit, text) => {
    // Act
    const act = redrive(backend, { queue: QUEUE, limit });

    // Assess
    await expect(act).rejects.toThrow(UsageError);
    await expect(act).rejects.toThrow(text);
    expect(sqs.calls()).toEqual([]);
  });

  it('prints "no messages" for an empty queue', async () => {
    // Prepare
    queueHolds();

    // Act
    const report = await redrive(backend, { queue: QUEUE });

    // Assess
    expect(formatRedriveTable(report)).toBe(`no messages in ${URL}`);
  });
});

describe('readInvocationRecord', () => {
  /** The valid record with one change. */
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const record = JSON.parse(SES_DOWN) as Record<string, unknown>;
    change(record);
    return JSON.stringify(record);
  };
  const ctx = (r: Record<string, unknown>) => r.requestContext as Record<string, unknown>;

  it('reads the function, request id and original event of a valid record', () => {
    // Act
    const read = readInvocationRecord(SES_DOWN);

    // Assess
    expect(read).toEqual({
      ok: true,
      function: {
        arn: WELCOME_ARN,
        region: 'eu-west-1',
        account: '123456789012',
        functionName: 'slipway-dev-jobs-welcome-email',
        qualifier: '$LATEST',
      },
      functionName: 'slipway-dev-jobs-welcome-email',
      requestId: '6d0f0c1e-2b7a-4a55-9d3e-0a4c1f5b7e21',
      payload: JSON.parse(SES_DOWN).requestPayload,
    });
  });

  it.each([
    ['an array', '[1]', 'not a Lambda invocation record: the body is not a JSON object'],
    [
      'no requestContext',
      broken((r) => delete r.requestContext),
      'not a Lambda invocation record: no requestContext',
    ],
    [
      'no functionArn',
      broken((r) => delete ctx(r).functionArn),
      'not a Lambda invocation record: no requestContext.functionArn',
    ],
    [
      'an SQS ARN as functionArn',
      broken((r) => (ctx(r).functionArn = 'arn:aws:sqs:eu-west-1:123456789012:q')),
      'not a Lambda invocation record: requestContext.functionArn "arn:aws:sqs:eu-west-1:123456789012:q" is not a Lambda function ARN',
    ],
    [
      'no requestId',
      broken((r) => delete ctx(r).requestId),
      'not a Lambda invocation record: no requestContext.requestId',
    ],
    [
      'no requestPayload',
      broken((r) => delete r.requestPayload),
      'not a Lambda invocation record: no requestPayload',
    ],
    [
      'an on-success record',
      broken((r) => (ctx(r).condition = 'Success')),
      'condition is Success: an on-success record, there is nothing to redrive',
    ],
  ])('keeps a body with %s, saying so', (_case, body, reason) => {
    // Act
    const read = readInvocationRecord(body);

    // Assess
    expect(read.ok).toBe(false);
    expect(read.ok === false && read.reason).toBe(reason);
  });
});
