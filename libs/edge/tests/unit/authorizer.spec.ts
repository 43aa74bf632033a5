import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ApiGatewayRequestAuthorizerEvent,
  ApiGatewayRequestAuthorizerEventSchema,
} from '@slipway/events';
import {
  authorizeRequest,
  IdentityProviderError,
  type TokenVerifier,
  TokenRejectedError,
} from '../../src';

// The verifier is a stand-in here: jwt.spec.ts covers verification against real keys; this
// spec covers what the authorizer does with its answer.

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev';
const ROUTES = [
  { method: 'POST', path: '/uploads', roles: ['uploader'] },
  { method: 'DELETE', path: '/things/{id}', roles: ['admin'] },
];
const event = (): ApiGatewayRequestAuthorizerEvent =>
  ApiGatewayRequestAuthorizerEventSchema.parse(
    JSON.parse(
      readFileSync(join(__dirname, '../events/api-gateway/authorizer-request.json'), 'utf8'),
    ),
  );

describe('authorizeRequest', () => {
  it('verifies the bearer token and answers the policy for every route', async () => {
    // Prepare
    const seen: string[] = [];
    const verify: TokenVerifier = async (token) => {
      seen.push(token);
      return { userId: 'user-1', roles: ['uploader'], claims: {} };
    };

    // Act
    const decision = await authorizeRequest(event(), { verify, routes: ROUTES });

    // Assess
    expect(seen).toEqual(['eyJhbGciOiJSUzI1NiJ9.e30.c2ln']);
    expect(decision).toEqual({
      status: 'authorized',
      result: {
        principalId: 'user-1',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/POST/uploads`] },
            {
              Action: 'execute-api:Invoke',
              Effect: 'Deny',
              Resource: [`${PREFIX}/DELETE/things/*`],
            },
          ],
        },
        context: { userId: 'user-1', roles: 'uploader' },
      },
    });
  });

  it('is unauthorized with the reason when the token is refused', async () => {
    // Prepare
    const verify: TokenVerifier = async () => {
      throw new TokenRejectedError('expired', 'The token has expired.');
    };

    // Act + Assess
    await expect(authorizeRequest(event(), { verify, routes: ROUTES })).resolves.toEqual({
      status: 'unauthorized',
      reason: 'expired',
    });
  });

  it('is unauthorized as malformed without an Authorization header, never calling the verifier', async () => {
    // Prepare
    const input = event();
    input.headers = { Host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com' };
    const verify = jest.fn<ReturnType<TokenVerifier>, Parameters<TokenVerifier>>();

    // Act
    const decision = await authorizeRequest(input, { verify, routes: ROUTES });

    // Assess
    expect([decision, verify.mock.calls.length]).toEqual([
      { status: 'unauthorized', reason: 'malformed' },
      0,
    ]);
  });

  it('lets an identity provider failure through (a 500, not a 401)', async () => {
    // Prepare
    const verify: TokenVerifier = async () => {
      throw new IdentityProviderError('The JWKS could not be fetched.');
    };

    // Act + Assess
    await expect(authorizeRequest(event(), { verify, routes: ROUTES })).rejects.toThrow(
      IdentityProviderError,
    );
  });
});
