import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  checkGraphqlTriggers,
  graphqlApi,
  graphqlResolvers,
  readGraphqlSchema,
  type LambdaManifest,
} from '@slipway/manifest';
import { startGraphqlEndpoint, type GraphqlEndpoint, type GraphqlIdentity } from './graphql';
import { startLocalIdentity, type LocalIdentity } from './identity';
import type { LocalLambda } from './local-lambda';
import { SSM_ENDPOINT_ENV, startLocalSsm, type LocalSsm } from './ssm';
import { startUserServiceStub, type UserServiceStub } from './user-service';
import type { SegmentWriter } from './xray-daemon';

/**
 * What the sandbox starts when a manifest has a `graphql` trigger: the Parameter Store stand-in
 * (holding the user service's base URL where the stacks' `read param:users/service-url` points),
 * the stub user service, and, once the Lambdas exist, the local GraphQL endpoint over the API's
 * committed SDL. Tokens are the sandbox identity provider's (shared with the HTTP edge when it
 * runs), verified against its JWKS as AppSync verifies a user pool's.
 */

/** SSM parameter root of the sandbox, `/<namePrefix>/<environment>` as in the stacks. */
export const PARAMETER_ROOT = '/slipway/local';
/** Where the user service's base URL is kept (`read param:users/service-url`). */
export const USER_SERVICE_URL_PARAMETER = `${PARAMETER_ROOT}/users/service-url`;

/** The GraphQL side of a running sandbox. */
export interface SandboxGraphql {
  endpoint: GraphqlEndpoint;
  identity: LocalIdentity;
  ssm: LocalSsm;
  userService: UserServiceStub;
  /** Stops the endpoint, the stub, the stand-in and the identity provider if it started one. */
  close(): Promise<void>;
}

/** Started before the Lambdas (they need the endpoints in their environment). */
export interface GraphqlServices {
  /** Variables every function gets: the SSM endpoint. */
  environment: Record<string, string>;
  /** Starts the GraphQL endpoint over the Lambdas. */
  serve(
    lambdas: Map<string, LocalLambda>,
    functionName: (name: string) => string,
    /** The sandbox's X-Ray writer: the API's segments, as with `xray_enabled`. */
    tracing?: SegmentWriter,
  ): Promise<SandboxGraphql>;
  /** Stops what {@link startGraphqlServices} started (when `serve` was never called). */
  close(): Promise<void>;
}

/**
 * Starts the GraphQL services when `manifests` attach a Lambda to a GraphQL field, else answers
 * `undefined`. The triggers are checked against the SDL first, as synthesis checks them.
 *
 * @throws {InvalidGraphqlTriggersError} naming the manifest and field of an unknown type or field.
 */
export async function startGraphqlServices(options: {
  root: string;
  manifests: readonly { file: string; manifest: LambdaManifest }[];
  workDir: string;
  /** The HTTP edge's identity provider, when the gateway runs: tokens work for both. */
  identity?: LocalIdentity;
  region: string;
  accountId: string;
}): Promise<GraphqlServices | undefined> {
  const resolvers = graphqlResolvers(options.manifests.map((m) => m.manifest));
  if (!resolvers.length) return undefined;
  checkGraphqlTriggers(options.root, options.manifests);
  const apis = [...new Set(resolvers.map((r) => r.api))];
  if (apis.length > 1)
    throw new Error(
      `The sandbox serves one GraphQL API; the manifests name ${apis.join(', ')}: serve the others from their own sandbox or merge them.`,
    );
  const api = graphqlApi(apis[0])!;
  const sdl = readGraphqlSchema(options.root, api);

  const userService = await startUserServiceStub();
  const ssm = await startLocalSsm({
    parameters: { [USER_SERVICE_URL_PARAMETER]: userService.baseUrl },
    region: options.region,
    accountId: options.accountId,
  });
  const ownIdentity = options.identity
    ? undefined
    : await startLocalIdentity({ workDir: options.workDir });
  const identity = options.identity ?? ownIdentity!;
  const jwks = createRemoteJWKSet(new URL(identity.jwksUrl));
  const verify = async (token: string): Promise<GraphqlIdentity | undefined> => {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: identity.issuer,
        audience: identity.audience,
      });
      const roles = (payload.app_metadata as { roles?: unknown } | undefined)?.roles;
      return {
        sub: String(payload.sub),
        issuer: identity.issuer,
        username: String(payload.sub),
        claims: payload as Record<string, unknown>,
        sourceIp: ['127.0.0.1'],
        defaultAuthStrategy: 'ALLOW',
        groups: Array.isArray(roles) ? roles.map(String) : null,
      };
    } catch {
      return undefined;
    }
  };
  const close = async () => {
    await Promise.all([userService.close(), ssm.close(), ownIdentity?.close()]);
  };

  return {
    environment: { [SSM_ENDPOINT_ENV]: ssm.endpoint },
    close,
    async serve(lambdas, functionName, tracing) {
      const endpoint = await startGraphqlEndpoint({
        sdl,
        resolvers,
        verify,
        // The deployed API's name: <namePrefix>-<environment>-<api> (terraform/stacks/src/graphql.ts).
        ...(tracing
          ? {
              tracing,
              apiName: functionName(api.name),
              functionNameOf: functionName,
              region: options.region,
            }
          : {}),
        invoke: async (name, event, trace) => {
          const lambda = lambdas.get(functionName(name));
          if (!lambda)
            return {
              ok: false,
              durationMs: 0,
              error: {
                errorType: 'Sandbox.FunctionNotFound',
                errorMessage: `No packaged Lambda named ${name}: run npx nx run-many -t package.`,
                trace: [],
              },
            };
          return lambda.invoke(event, trace ? { trace } : {});
        },
      });
      return {
        endpoint,
        identity,
        ssm,
        userService,
        close: async () => {
          await endpoint.close();
          await close();
        },
      };
    },
  };
}
