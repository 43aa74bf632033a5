import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_SCHEMAS } from '@slipway/events';
import { restApiBody, type Route } from '@slipway/manifest';
import {
  evaluatePolicy,
  gatewayResponse,
  isBinary,
  matchRoute,
  type GatewayResponses,
  type PolicyDocument,
} from '../../src/gateway';

const routes = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/gateway/routes.json'), 'utf8'),
) as Route[];
const PREFIX = 'arn:aws:execute-api:eu-west-1:000000000000:local/local';

describe('matchRoute', () => {
  // Prepare: the fixture routes plus the resources that make precedence observable.
  const table: Route[] = [
    ...routes,
    { ...routes[0], method: 'GET', path: '/things/special', auth: 'public', reason: 'literal' },
    { ...routes[0], method: 'ANY', path: '/any/{id}', auth: 'public', reason: 'any' },
    { ...routes[0], method: 'POST', path: '/any/{id}', auth: 'public', reason: 'post' },
    { ...routes[0], method: 'GET', path: '/{proxy+}', auth: 'public', reason: 'catch-all' },
  ];
  it.each([
    ['GET', '/things/42', 'GET /things/{id}', { id: '42' }],
    ['GET', '/things/a%20b', 'GET /things/{id}', { id: 'a b' }],
    ['GET', '/things/special', 'GET /things/special', {}],
    ['DELETE', '/things/42', 'DELETE /things/{id}', { id: '42' }],
    ['GET', '/echo/a/b/c', 'GET /echo/{proxy+}', { proxy: 'a/b/c' }],
    ['GET', '/echo/x', 'GET /echo/{proxy+}', { proxy: 'x' }],
    ['PUT', '/any/7', 'ANY /any/{id}', { id: '7' }],
    ['POST', '/any/7', 'POST /any/{id}', { id: '7' }],
    ['GET', '/elsewhere/deep', 'GET /{proxy+}', { proxy: 'elsewhere/deep' }],
    ['get', '/uploads', undefined, undefined],
    ['POST', '/uploads', 'POST /uploads', {}],
  ])('%s %s → %s', (method, path, expected, params) => {
    // Act
    const match = matchRoute(table, method, path);
    // Assess
    if (expected === undefined) expect(match).toBeUndefined();
    else {
      expect(`${match?.route.method} ${match?.route.path}`).toBe(expected);
      expect(match?.pathParameters).toEqual(params);
    }
  });

  it.each([
    ['GET', '/nowhere'],
    ['GET', '/things'],
    ['GET', '/things/42/secret'],
    ['GET', '/things/'],
    ['GET', '/echo'],
    ['GET', '/echo/'],
    ['POST', '/things/42'],
    ['PATCH', '/uploads'],
  ])('%s %s matches no route', (method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });

  it('does not fall back to a less specific resource when the literal one lacks the method', () => {
    // /things/special exists for GET only: DELETE there is API Gateway's 403, not /things/{id}.
    const table = [...routes, { ...routes[0], method: 'GET' as const, path: '/things/special' }];
    expect(matchRoute(table, 'DELETE', '/things/special')).toBeUndefined();
  });
});

describe('evaluatePolicy', () => {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/GET/things/*`] },
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: [`${PREFIX}/GET/things/*/secret`],
      },
      { Action: 'execute-api:*', Effect: 'Allow', Resource: `${PREFIX}/POST/uploads` },
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/PUT/v?`] },
    ],
  };
  it.each([
    [`${PREFIX}/GET/things/42`, 'Allow'],
    [`${PREFIX}/GET/things/42/photos`, 'Allow'],
    [`${PREFIX}/GET/things/42/secret`, 'Deny'],
    [`${PREFIX}/POST/uploads`, 'Allow'],
    [`${PREFIX}/POST/uploads/x`, 'implicitDeny'],
    [`${PREFIX}/PUT/v1`, 'Allow'],
    [`${PREFIX}/PUT/v12`, 'implicitDeny'],
    [`${PREFIX}/DELETE/things/42`, 'implicitDeny'],
    ['arn:aws:execute-api:eu-west-1:000000000000:other/local/GET/things/42', 'implicitDeny'],
  ])('%s → %s', (arn, decision) => {
    expect(evaluatePolicy(policy, arn)).toBe(decision);
  });

  it('ignores statements for other actions', () => {
    const other: PolicyDocument = {
      Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }],
    };
    expect(evaluatePolicy(other, `${PREFIX}/GET/things/42`)).toBe('implicitDeny');
  });
});

describe('gatewayResponse', () => {
  it.each([
    ['MISSING_AUTHENTICATION_TOKEN', 403, '{"message":"Missing Authentication Token"}'],
    ['UNAUTHORIZED', 401, '{"message":"Unauthorized"}'],
    [
      'ACCESS_DENIED',
      403,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    ],
    ['REQUEST_TOO_LARGE', 413, '{"message":"Request Too Long"}'],
    ['INTEGRATION_FAILURE', 502, '{"message":"Internal server error"}'],
    ['INTEGRATION_TIMEOUT', 504, '{"message":"Endpoint request timed out"}'],
    ['AUTHORIZER_FAILURE', 500, '{"message":null}'],
  ] as const)('AWS built-in %s: %d %s', (type, status, body) => {
    const answer = gatewayResponse(type, undefined, { requestId: 'r-1' });
    expect(answer).toEqual({
      status,
      body,
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'x-amzn-requestid': 'r-1',
      }),
    });
  });

  // The API's own responses, exactly as the REST API's body declares them.
  const body = restApiBody(
    routes,
    EDGE_SCHEMAS,
    { title: 't', version: '0' },
    {
      invokeArns: { 'gw-route': 'arn:route', 'gw-authorizer': 'arn:authorizer' },
      authorizer: { lambda: 'gw-authorizer', identitySource: 'Authorization', cacheTtlSeconds: 60 },
    },
  );
  const responses = body['x-amazon-apigateway-gateway-responses'] as GatewayResponses;
  it.each([
    [
      'MISSING_AUTHENTICATION_TOKEN',
      403,
      {
        code: 'NO_ROUTE',
        message: 'No route matches this method and path: see the API document.',
      },
    ],
    [
      'UNAUTHORIZED',
      401,
      { code: 'UNAUTHORIZED', message: 'Send a valid bearer token in the Authorization header.' },
    ],
    [
      'ACCESS_DENIED',
      403,
      { code: 'FORBIDDEN', message: "The token's roles include none this route requires." },
    ],
    [
      'REQUEST_TOO_LARGE',
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than this route accepts.' },
    ],
    ['BAD_REQUEST_BODY', 400, { code: 'BAD_REQUEST_BODY', message: 'size: "quoted" is wrong' }],
    // A status on DEFAULT_5XX (500) would apply to every 5XX not customised itself, so
    // restApiBody customises a failed function (502) and a timeout (504) on their own.
    [
      'INTEGRATION_FAILURE',
      502,
      { code: 'BAD_GATEWAY', message: 'The function failed; retry later. Request id: r-2' },
    ],
    [
      'INTEGRATION_TIMEOUT',
      504,
      {
        code: 'GATEWAY_TIMEOUT',
        message: 'The function did not answer in time; retry later. Request id: r-2',
      },
    ],
    [
      'AUTHORIZER_CONFIGURATION_ERROR',
      500,
      { code: 'INTERNAL', message: 'The request failed; retry later. Request id: r-2' },
    ],
  ] as const)('restApiBody %s: %d', (type, status, json) => {
    const answer = gatewayResponse(type, responses, {
      requestId: 'r-2',
      error: 'size: "quoted" is wrong',
    });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual(json);
  });

  it('keeps the built-in status when DEFAULT_5XX customises only the body', () => {
    const only = { DEFAULT_5XX: { responseTemplates: { 'application/json': '{"x":1}' } } };
    expect(gatewayResponse('INTEGRATION_TIMEOUT', only, { requestId: 'r' })).toMatchObject({
      status: 504,
      body: '{"x":1}',
    });
  });
});

describe('isBinary', () => {
  it.each([
    ['application/octet-stream', ['application/octet-stream'], true],
    ['application/octet-stream; charset=x', ['application/octet-stream'], true],
    ['image/png', ['image/*'], true],
    ['image/png', ['*/*'], true],
    ['application/json', ['image/*', 'application/octet-stream'], false],
    ['', ['*/*'], false],
  ])('%s in %j → %s', (type, types, expected) => {
    expect(isBinary(type, types)).toBe(expected);
  });
});
