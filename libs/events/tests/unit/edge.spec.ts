import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import {
  ApiGatewayProxyEventSchema,
  ApiGatewayRequestAuthorizerEventSchema,
  AuthorizerResultSchema,
  CreateUploadRequestSchema,
  CreateUploadResponseSchema,
  EDGE_SCHEMAS,
  ErrorResponseSchema,
  PaymentSucceededDetailSchema,
  StripeEventSchema,
  StripePaymentIntentSucceededEventSchema,
} from '../../src';

// One valid fixture per edge contract (tests/events/edge/<contract>.json); each broken case
// clones it, changes one field and names the issue zod must report.

type Json = Record<string, unknown>;
type Break = [what: string, change: (f: Json) => void, issue: { path: string; message: string }];

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(__dirname, '../events/edge', name), 'utf8'));
const at = (value: unknown, ...path: string[]) =>
  path.reduce((v, k) => (v as Json)[k], value) as Json;

const contracts: [name: string, schema: z.ZodType, file: string, breaks: Break[]][] = [
  [
    'ApiGatewayProxyEventSchema',
    ApiGatewayProxyEventSchema,
    'proxy-event.json',
    [
      [
        'no isBase64Encoded',
        (f) => delete f.isBase64Encoded,
        { path: 'isBase64Encoded', message: 'Invalid input: expected boolean, received undefined' },
      ],
      [
        'headers as a list',
        (f) => (f.headers = []),
        { path: 'headers', message: 'Invalid input: expected record, received array' },
      ],
    ],
  ],
  [
    'ApiGatewayRequestAuthorizerEventSchema',
    ApiGatewayRequestAuthorizerEventSchema,
    'authorizer-event.json',
    [
      [
        'a TOKEN authorizer event',
        (f) => (f.type = 'TOKEN'),
        { path: 'type', message: 'Invalid input: expected "REQUEST"' },
      ],
      [
        'a methodArn that is no ARN',
        (f) => (f.methodArn = 'POST/uploads'),
        { path: 'methodArn', message: 'Invalid string: must start with "arn:"' },
      ],
    ],
  ],
  [
    'AuthorizerResultSchema',
    AuthorizerResultSchema,
    'authorizer-result.json',
    [
      [
        'no statement',
        (f) => (at(f, 'policyDocument').Statement = []),
        {
          path: 'policyDocument.Statement',
          message: 'Too small: expected array to have >=1 items',
        },
      ],
      [
        'roles as a list',
        (f) => (at(f, 'context').roles = ['uploader']),
        { path: 'context.roles', message: 'Invalid input: expected string, received array' },
      ],
    ],
  ],
  [
    'CreateUploadRequestSchema',
    CreateUploadRequestSchema,
    'create-upload-request.json',
    [
      [
        'a path as filename',
        (f) => (f.filename = '../etc/passwd'),
        { path: 'filename', message: 'must be a file name without path separators' },
      ],
      [
        'a control character in the filename',
        (f) => (f.filename = 'a\u0007.jpg'),
        { path: 'filename', message: 'must not contain control characters' },
      ],
      [
        'a fractional size',
        (f) => (f.size = 1.5),
        { path: 'size', message: 'Invalid input: expected int, received number' },
      ],
      [
        'a zero size',
        (f) => (f.size = 0),
        { path: 'size', message: 'Too small: expected number to be >0' },
      ],
    ],
  ],
  [
    'CreateUploadResponseSchema',
    CreateUploadResponseSchema,
    'create-upload-response.json',
    [
      [
        'a local time expiry',
        (f) => (f.expiresAt = '2026-12-01T10:10:00+01:00'),
        { path: 'expiresAt', message: 'Invalid ISO datetime' },
      ],
    ],
  ],
  [
    'StripePaymentIntentSucceededEventSchema',
    StripePaymentIntentSucceededEventSchema,
    'stripe-payment-intent-succeeded.json',
    [
      [
        'another type',
        (f) => (f.type = 'payment_intent.created'),
        { path: 'type', message: 'Invalid input: expected "payment_intent.succeeded"' },
      ],
      [
        'an upper-case currency',
        (f) => (at(f, 'data', 'object').currency = 'EUR'),
        { path: 'data.object.currency', message: 'must be a lowercase ISO 4217 code' },
      ],
      [
        'an id that is not an event id',
        (f) => (f.id = 'pi_1'),
        { path: 'id', message: 'must start with evt_' },
      ],
    ],
  ],
  [
    'PaymentSucceededDetailSchema',
    PaymentSucceededDetailSchema,
    'payment-succeeded-detail.json',
    [
      [
        'no stripeEventId',
        (f) => delete f.stripeEventId,
        { path: 'stripeEventId', message: 'Invalid input: expected string, received undefined' },
      ],
      [
        'a negative amount',
        (f) => (f.amount = -1),
        { path: 'amount', message: 'Too small: expected number to be >=0' },
      ],
    ],
  ],
];

describe.each(contracts)('%s', (_name, schema, file, breaks) => {
  it(`parses ${file} unchanged`, () => {
    expect(schema.parse(fixture(file))).toEqual(fixture(file));
  });

  it.each(breaks)('refuses %s', (_what, change, issue) => {
    // Prepare
    const broken = fixture(file);
    change(broken);

    // Act
    const result = schema.safeParse(broken);

    // Assess
    expect(result.success).toBe(false);
    expect(
      result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    ).toEqual([issue]);
  });
});

describe('StripeEventSchema', () => {
  it('reads any event type and keeps the fields Stripe adds', () => {
    // Prepare
    const event = {
      ...fixture('stripe-payment-intent-succeeded.json'),
      type: 'charge.refunded',
      added_later: 1,
    };

    // Act + Assess
    expect(StripeEventSchema.parse(event)).toEqual(event);
  });
});

describe('ErrorResponseSchema', () => {
  const valid = {
    code: 'TYPE_NOT_ALLOWED',
    message: 'Upload one of: image/jpeg.',
    allowed: ['image/jpeg'],
  };

  it('reads an error answer', () => {
    expect(ErrorResponseSchema.parse(valid)).toEqual(valid);
  });

  it('refuses a lower-case code', () => {
    expect(ErrorResponseSchema.safeParse({ ...valid, code: 'bad' }).error?.issues[0]?.path).toEqual(
      ['code'],
    );
  });
});

describe('EDGE_SCHEMAS', () => {
  it('names every route body schema, each convertible to JSON Schema for OpenAPI', () => {
    // Act
    const converted = Object.fromEntries(
      Object.entries(EDGE_SCHEMAS).map(([name, schema]) => [
        name,
        z.toJSONSchema(schema, { io: 'input' }),
      ]),
    );

    // Assess: these five come first; the lambda generator appends one per new route, whose
    // own test pins it, so a generated route leaves this test green.
    expect(Object.keys(converted).slice(0, 5)).toEqual([
      'CreateUploadRequest',
      'CreateUploadResponse',
      'StripeEvent',
      'StripeWebhookResponse',
      'ErrorResponse',
    ]);
    expect(converted['CreateUploadRequest']).toMatchObject({
      type: 'object',
      required: ['filename', 'contentType', 'size'],
      properties: { size: { type: 'integer', exclusiveMinimum: 0 } },
    });
  });
});
