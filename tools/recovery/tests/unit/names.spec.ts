import {
  checkRegion,
  parseExecutionArn,
  parseFunctionArn,
  parseQueue,
  rerunName,
  UsageError,
} from '../../src';

describe('parseQueue', () => {
  it.each([
    [
      'slipway-dev-jobs-welcome-email-dlq',
      {
        name: 'slipway-dev-jobs-welcome-email-dlq',
        functionName: 'slipway-dev-jobs-welcome-email',
      },
    ],
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-dev-etl-transform-dlq',
      {
        name: 'slipway-dev-etl-transform-dlq',
        functionName: 'slipway-dev-etl-transform',
        url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-dev-etl-transform-dlq',
        region: 'eu-west-1',
      },
    ],
    [
      'http://127.0.0.1:9324/000000000000/fn-dlq',
      { name: 'fn-dlq', functionName: 'fn', url: 'http://127.0.0.1:9324/000000000000/fn-dlq' },
    ],
  ])('reads %s', (queue, ref) => {
    // Act
    const read = parseQueue(queue);

    // Assess
    expect(read).toEqual(ref);
  });

  it.each([
    [
      'slipway-dev-jobs-welcome-email',
      "is not a function's dead-letter queue (the name must end with -dlq)",
    ],
    ['-dlq', "is not a function's dead-letter queue (the name must end with -dlq)"],
    ['my queue-dlq', 'is not a queue name (up to 80 letters, digits, - and _)'],
    [`${'a'.repeat(77)}-dlq`, 'is not a queue name (up to 80 letters, digits, - and _)'],
    ['https://sqs.eu-west-1.amazonaws.com/slipway-dev-x-dlq', 'is not an SQS queue URL'],
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-dev-x',
      "is not a function's dead-letter queue (the name must end with -dlq)",
    ],
    ['https://[bad', 'is not a valid URL'],
  ])('refuses %j', (queue, text) => {
    // Act
    const act = () => parseQueue(queue);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(`--queue ${JSON.stringify(queue)} ${text}`);
    expect(act).toThrow('give a function\'s dead-letter queue: its name "<function>-dlq"');
  });
});

describe('parseFunctionArn', () => {
  it.each([
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-x:$LATEST',
      {
        region: 'eu-west-1',
        account: '123456789012',
        functionName: 'slipway-dev-x',
        qualifier: '$LATEST',
      },
    ],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-x',
      { region: 'eu-west-1', account: '123456789012', functionName: 'slipway-dev-x' },
    ],
    ['arn:aws:lambda:eu-west-1:123456789012:layer:x', undefined],
    ['slipway-dev-x', undefined],
  ])('reads %s', (arn, parts) => {
    // Act
    const read = parseFunctionArn(arn);

    // Assess
    expect(read).toEqual(parts && { arn, ...parts });
  });
});

describe('parseExecutionArn', () => {
  it('reads a Standard execution ARN', () => {
    // Act
    const read = parseExecutionArn(
      'arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:etl-2026-03-03',
    );

    // Assess
    expect(read).toEqual({
      arn: 'arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:etl-2026-03-03',
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      stateMachine: 'slipway-dev-etl',
      name: 'etl-2026-03-03',
    });
  });

  it.each([
    [
      'arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl',
      'is not a Step Functions execution ARN',
    ],
    ['etl-2026-03-03', 'is not a Step Functions execution ARN'],
    ['arn:aws:states:eu-west-1:1234:execution:m:n', 'is not a Step Functions execution ARN'],
    [
      'arn:aws:states:eu-west-1:123456789012:express:m:n:abc',
      'is not a Step Functions execution ARN',
    ],
    ['arn:aws:states:eu-west-1:123456789012:express:m:n', 'is an Express execution'],
  ])('refuses %s', (arn, text) => {
    // Act
    const act = () => parseExecutionArn(arn);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(text);
  });
});

describe('checkRegion', () => {
  it.each(['eu-west-1', 'us-gov-west-1', 'ap-southeast-5'])('accepts %s', (region) => {
    expect(checkRegion(region)).toBe(region);
  });

  it.each(['eu-west', 'EU-WEST-1', 'ireland'])('refuses %s', (region) => {
    expect(() => checkRegion(region)).toThrow(
      `--region ${JSON.stringify(region)} is not an AWS region code: give one like eu-west-1 or us-east-1.`,
    );
  });
});

describe('rerunName', () => {
  const at = new Date('2026-12-03T06:15:09.421Z');

  it.each([
    ['etl-2026-03-03', 'etl-2026-03-03-rerun-20261203T061509Z'],
    ['etl-2026-03-03-rerun-20261201T000000Z', 'etl-2026-03-03-rerun-20261203T061509Z'],
    ['x'.repeat(80), `${'x'.repeat(57)}-rerun-20261203T061509Z`],
  ])('names the rerun of %s', (name, expected) => {
    // Act
    const named = rerunName(name, at);

    // Assess
    expect(named).toBe(expected);
    expect(named.length).toBeLessThanOrEqual(80);
  });
});
