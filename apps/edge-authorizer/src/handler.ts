import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  authorizeAppSync,
  type AuthorizedRoute,
  authorizeRequest,
  authorizerConfigFromEnv,
  createTokenVerifier,
  identityProviderOf,
  type TokenVerifier,
  UNAUTHORIZED,
} from '@slipway/edge';
import { EdgeAuthorizerEventSchema } from '@slipway/events';
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

/**
 * The edge's authorizer, for two callers told apart by the event's shape: API Gateway's REQUEST
 * authorizer (the route policy for a valid token, `Unauthorized` (401) otherwise) and AppSync's
 * Lambda authorizer (`isAuthorized` true with the caller's context, or false).
 */
export const handler = instrumentHandler(
  obs,
  {
    input: EdgeAuthorizerEventSchema,
    source: 'authorizer event',
    correlationId: (event) =>
      (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
  },
  async (input) => {
    ready ??= setup().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const deps = await ready;
    obs.metrics.addDimension('api', input.api);
    if (input.api === 'APPSYNC') {
      // A refusal is an answer to AppSync, not an error: logged here, with its reason.
      const decision = await authorizeAppSync(input.event, deps);
      count(decision);
      if (decision.status === 'unauthorized')
        obs.logger.warn('Refused', { reason: decision.reason });
      else obs.logger.info('Authorized', { userId: decision.result.resolverContext?.userId });
      return decision.result;
    }
    const decision = await authorizeRequest(input.event, deps);
    count(decision);
    if (decision.status === 'unauthorized') {
      // API Gateway answers 401 only for exactly this message. The reason rides on the error, so
      // the one line instrumentHandler logs carries it; the token is never logged.
      throw Object.assign(new Error(UNAUTHORIZED), { reason: decision.reason });
    }
    obs.logger.info('Authorized', { userId: decision.result.principalId });
    return decision.result;
  },
);

/** One `AuthorizerDecisions` count, by API kind (set before) and outcome. */
function count(decision: { status: 'authorized' } | { status: 'unauthorized'; reason: string }) {
  obs.metrics.addDimension(
    'outcome',
    decision.status === 'authorized' ? 'AUTHORIZED' : decision.reason,
  );
  obs.metrics.addMetric('AuthorizerDecisions', MetricUnit.Count, 1);
}
