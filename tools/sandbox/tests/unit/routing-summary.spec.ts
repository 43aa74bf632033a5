import { describeRouting, type RoutingRecord } from '../../src/report';

/** The npm start summary of the local bus: grouped rows, dead letters with their reason, unrouted puts. */
describe('describeRouting', () => {
  const delivered = (eventId: string, attempts = 1) => ({
    eventId,
    source: 'aws.s3',
    detailType: 'Object Created',
    rule: 'slipway-local-media-trigger',
    target: 'states:slipway-local-media',
    outcome: 'delivered',
    attempts,
  });

  it('groups deliveries by source, detail-type, rule, target and outcome, and lists what no rule took', () => {
    // Prepare: two uploads started the flow (one on its second attempt), one welcome event
    // dead-lettered, and a derived object's event matched nothing.
    const bus: RoutingRecord = {
      events: [
        { id: 'e1', busName: 'default', source: 'aws.s3', detailType: 'Object Created' },
        { id: 'e2', busName: 'default', source: 'aws.s3', detailType: 'Object Created' },
        { id: 'e3', busName: 'default', source: 'aws.s3', detailType: 'Object Created' },
        {
          id: 'e4',
          busName: 'slipway-local-platform',
          source: 'slipway.sessions',
          detailType: 'SessionConfirmed',
        },
      ],
      routed: [
        delivered('e1'),
        delivered('e2', 2),
        {
          eventId: 'e4',
          source: 'slipway.sessions',
          detailType: 'SessionConfirmed',
          rule: 'slipway-local-jobs-welcome-email-1',
          target: 'lambda:slipway-local-jobs-welcome-email',
          outcome: 'dead-lettered',
          attempts: 3,
          error: 'InvalidEvent: detail.learner.email: Invalid email address',
        },
      ],
    };

    // Act
    const text = describeRouting(bus);

    // Assess
    expect(text.split('\n')).toEqual([
      'Events routed by the local bus: 3 deliveries of 3 events, 1 dead-lettered',
      '| source           | detail-type      | rule                               | target                                  | outcome       | events | attempts | last error                                                |',
      '|------------------|------------------|------------------------------------|-----------------------------------------|---------------|--------|----------|-----------------------------------------------------------|',
      '| aws.s3           | Object Created   | slipway-local-media-trigger        | states:slipway-local-media              | delivered     | 2      | 3        |                                                           |',
      '| slipway.sessions | SessionConfirmed | slipway-local-jobs-welcome-email-1 | lambda:slipway-local-jobs-welcome-email | dead-lettered | 1      | 3        | InvalidEvent: detail.learner.email: Invalid email address |',
      'Matched no rule: 1 × aws.s3 Object Created on default',
    ]);
  });

  it('says when nothing was routed', () => {
    const text = describeRouting({ events: [], routed: [] });

    expect(text.split('\n')).toEqual([
      'Events routed by the local bus: 0 deliveries of 0 events, 0 dead-lettered',
      '| source | detail-type | rule | target | outcome | events | attempts | last error |',
      '|--------|-------------|------|--------|---------|--------|----------|------------|',
    ]);
  });

  it('says what the function did with a Lambda target’s event: a poison event does not read as a success', () => {
    const bus: RoutingRecord = {
      events: [
        {
          id: 'e5',
          busName: 'slipway-local-platform',
          source: 'slipway.sessions',
          detailType: 'SessionConfirmed',
        },
      ],
      routed: [
        {
          eventId: 'e5',
          source: 'slipway.sessions',
          detailType: 'SessionConfirmed',
          rule: 'slipway-local-jobs-welcome-email-1',
          target: 'lambda:slipway-local-jobs-welcome-email',
          outcome: 'delivered',
          attempts: 1,
        },
      ],
    };
    const invocations = [
      {
        eventId: 'e5',
        functionName: 'slipway-local-jobs-welcome-email',
        outcome: 'dead-lettered',
        errors: [
          'EventParseError: detail.sessionId: Required',
          'EventParseError: detail.sessionId: Required',
        ],
      },
    ];

    const text = describeRouting(bus, invocations);

    expect(text.split('\n').slice(3)).toEqual([
      '| slipway.sessions | SessionConfirmed | slipway-local-jobs-welcome-email-1 | lambda:slipway-local-jobs-welcome-email | delivered → dead-lettered | 1      | 1        | EventParseError: detail.sessionId: Required |',
    ]);
  });
});
