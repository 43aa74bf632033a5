import { AuthorizerResultSchema } from '@slipway/events';
import {
  type AuthorizedRoute,
  authorizerResult,
  denyAllResult,
  EdgeConfigurationError,
  methodArnPrefixOf,
  routeMethodArn,
} from '../../src';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev';
const ROUTES: AuthorizedRoute[] = [
  { method: 'POST', path: '/uploads', roles: ['uploader', 'admin'] },
  { method: 'GET', path: '/things/{id}', roles: [] },
  { method: 'DELETE', path: '/things/{id}', roles: ['admin'] },
  { method: 'GET', path: '/things/{id}/secret', roles: ['admin'] },
  { method: 'ANY', path: '/files/{proxy+}', roles: ['admin'] },
  { method: 'GET', path: '/', roles: [] },
];

describe('authorizerResult', () => {
  it('allows the routes whose roles the user has and denies the others, for every route of the API', () => {
    // Act
    const result = authorizerResult(
      { userId: 'user-1', roles: ['uploader', 'viewer'] },
      ROUTES,
      PREFIX,
    );

    // Assess
    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: [`${PREFIX}/GET/`, `${PREFIX}/GET/things/*`, `${PREFIX}/POST/uploads`],
          },
          {
            Action: 'execute-api:Invoke',
            Effect: 'Deny',
            Resource: [
              `${PREFIX}/*/files/*`,
              `${PREFIX}/DELETE/things/*`,
              `${PREFIX}/GET/things/*/secret`,
            ],
          },
        ],
      },
      context: { userId: 'user-1', roles: 'uploader,viewer' },
    });
    expect(AuthorizerResultSchema.parse(result)).toEqual(result);
  });

  it('allows everything for a user holding every role, with no Deny statement', () => {
    // Act
    const result = authorizerResult({ userId: 'root', roles: ['admin'] }, ROUTES, PREFIX);

    // Assess
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          `${PREFIX}/*/files/*`,
          `${PREFIX}/DELETE/things/*`,
          `${PREFIX}/GET/`,
          `${PREFIX}/GET/things/*`,
          `${PREFIX}/GET/things/*/secret`,
          `${PREFIX}/POST/uploads`,
        ],
      },
    ]);
    expect(result.context).toEqual({ userId: 'root', roles: 'admin' });
  });

  it('denies a method ARN that two routes share when one of them excludes the user', () => {
    // Prepare
    const routes = [
      { method: 'GET', path: '/a/{x}', roles: [] },
      { method: 'GET', path: '/a/{y}', roles: ['admin'] },
    ];

    // Act
    const result = authorizerResult({ userId: 'u', roles: [] }, routes, PREFIX);

    // Assess
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/GET/a/*`] },
    ]);
  });

  it('denies the whole stage when the route table is empty', () => {
    expect(
      authorizerResult({ userId: 'u', roles: ['x'] }, [], PREFIX).policyDocument.Statement,
    ).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/*/*`] }]);
  });

  it('refuses a route table entry with a path API Gateway would not accept', () => {
    // Prepare
    const routes = [...ROUTES, { method: 'GET', path: '/things/{id', roles: [] }];

    // Act + Assess
    expect(() => authorizerResult({ userId: 'u', roles: [] }, routes, PREFIX)).toThrow(
      new EdgeConfigurationError(
        'Route path "/things/{id" is not API Gateway path syntax: start with "/", use segments of letters, digits, "-", "_", "." or "~", and {name} or a final {name+} for parameters.',
      ),
    );
  });
});

describe('routeMethodArn', () => {
  it.each([
    ['GET', '/things/{id}', `${PREFIX}/GET/things/*`],
    ['post', '/webhooks/stripe', `${PREFIX}/POST/webhooks/stripe`],
    ['ANY', '/files/{proxy+}', `${PREFIX}/*/files/*`],
    ['GET', '/', `${PREFIX}/GET/`],
  ])('%s %s → %s', (method, path, arn) => {
    expect(routeMethodArn(PREFIX, { method, path })).toBe(arn);
  });

  it('refuses an unknown method', () => {
    expect(() => routeMethodArn(PREFIX, { method: 'FETCH', path: '/' })).toThrow(
      'Route method "FETCH" is not one API Gateway knows: use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.',
    );
  });
});

describe('methodArnPrefixOf', () => {
  it('keeps the api and stage of a method ARN', () => {
    expect(methodArnPrefixOf(`${PREFIX}/GET/things/42`)).toBe(PREFIX);
  });

  it('refuses something else', () => {
    expect(() => methodArnPrefixOf('arn:aws:lambda:eu-west-1:123456789012:function:f')).toThrow(
      EdgeConfigurationError,
    );
  });
});

describe('denyAllResult', () => {
  it('denies every method of the stage', () => {
    expect(denyAllResult(PREFIX)).toEqual({
      principalId: 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/*/*`] }],
      },
    });
  });
});
