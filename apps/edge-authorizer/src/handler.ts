import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type AuthorizedRoute,
  authorizeRequest,
  authorizerConfigFromEnv,
  createTokenVerifier,
  identityProviderOf,
  type TokenVerifier,
  UNAUTHORIZED,
} from '@slipway/edge';
import { ApiGatewayRequestAuthorizerEventSchema } from '@slipway/events';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);

// Configuration and verifier are built once per execution environment, on the first request:
// the verifier keeps the JWKS (and the Supabase secret) for every later one. Not at module load,
// so the bundle loads without the environment's identity provider (bench, tests); a failed
// secret read is retried by the next request instead of poisoning the environment.
let ready: Promise<{ verify: TokenVerifier; routes: readonly AuthorizedRoute[] }> | undefined;
const setup = async () => {
  const config = authorizerConfigFromEnv(process.env);
  return { verify: createTokenVerifier(await identityProviderOf(config)), routes: config.routes };
};

/** REQUEST authorizer: the route policy for a valid token, `Unauthorized` (401) otherwise. */
export const handler = instrumentHandler(
  obs,
  {
    input: ApiGatewayRequestAuthorizerEventSchema,
    source: 'REQUEST authorizer event',
    correlationId: (event) =>
      (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
  },
  async (event) => {
    ready ??= setup().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const decision = await authorizeRequest(event, await ready);
    obs.metrics.addDimension(
      'outcome',
      decision.status === 'authorized' ? 'AUTHORIZED' : decision.reason,
    );
    obs.metrics.addMetric('AuthorizerDecisions', MetricUnit.Count, 1);
    if (decision.status === 'unauthorized') {
      // API Gateway answers 401 only for exactly this message. The reason rides on the error, so
      // the one line instrumentHandler logs carries it; the token is never logged.
      throw Object.assign(new Error(UNAUTHORIZED), { reason: decision.reason });
    }
    obs.logger.info('Authorized', { userId: decision.result.principalId });
    return decision.result;
  },
);
