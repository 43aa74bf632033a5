import { wildcardProblems } from '../../src';

describe('wildcardProblems', () => {
  it('accepts scoped statements and the X-Ray actions AWS only allows on *', () => {
    expect(
      wildcardProblems({
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/uploads/*'] },
          {
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Resource: '*',
          },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      }),
    ).toEqual([]);
  });

  it('flags wildcard actions and unjustified * resources', () => {
    expect(
      wildcardProblems({
        Statement: [
          { Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'AllS3', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
          {
            Sid: 'Mixed',
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 's3:GetObject'],
            Resource: '*',
          },
        ],
      }),
    ).toEqual([
      'Admin: wildcard action *',
      'Admin: Resource "*" for *',
      'AllS3: wildcard action s3:*',
      'Mixed: Resource "*" for s3:GetObject',
    ]);
  });
});
