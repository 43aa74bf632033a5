import { IDEMPOTENCY_TABLE_LAYOUT, TABLES } from '../../src';

describe('TABLES', () => {
  it('declares the edge idempotency table with the layout Powertools Idempotency reads', () => {
    expect(TABLES.find((t) => t.name === 'edge-idempotency')).toEqual({
      name: 'edge-idempotency',
      domain: 'edge',
      purpose:
        'Powertools Idempotency records of the edge Lambdas: a Stripe event id is published once',
      hashKey: 'id',
      hashKeyType: 'S',
      ttlAttribute: 'expiration',
    });
    expect(IDEMPOTENCY_TABLE_LAYOUT).toEqual({
      hashKey: 'id',
      hashKeyType: 'S',
      ttlAttribute: 'expiration',
    });
  });

  it('declares the jobs tables: idempotency records and the sessions with their by-start-hour index', () => {
    expect(TABLES.filter((t) => t.domain === 'jobs')).toEqual([
      {
        name: 'jobs-idempotency',
        domain: 'jobs',
        purpose:
          'Powertools Idempotency records of the jobs Lambdas: an EventBridge event id is handled once',
        hashKey: 'id',
        hashKeyType: 'S',
        ttlAttribute: 'expiration',
      },
      {
        name: 'sessions',
        domain: 'jobs',
        purpose: 'Booked learning sessions: the reminder job queries the next hour by start hour',
        hashKey: 'sessionId',
        hashKeyType: 'S',
        globalSecondaryIndexes: [
          {
            name: 'by-start-hour',
            hashKey: 'startHour',
            hashKeyType: 'S',
            rangeKey: 'startsAt',
            rangeKeyType: 'S',
            projection: 'ALL',
          },
        ],
      },
    ]);
  });

  it('gives every table a unique intent-ready name and a purpose AWS accepts as a tag value', () => {
    const names = TABLES.map((t) => t.name);

    expect(new Set(names).size).toBe(names.length);
    for (const table of TABLES) {
      expect([table.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(table.name)]).toEqual([
        table.name,
        true,
      ]);
      expect([table.name, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u.test(table.purpose)]).toEqual([
        table.name,
        true,
      ]);
    }
  });
});
