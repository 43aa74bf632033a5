import type { ApiGatewayProxyResult } from '@slipway/events';

/**
 * What a route function returns: the response for API Gateway and a machine-readable outcome
 * for the handler's one log line and metric (`PRESIGNED`, `TYPE_NOT_ALLOWED`, `PUBLISHED`,
 * `BAD_SIGNATURE`, …). Reasons that must not reach the caller (why a signature failed) travel
 * in `detail`, never in `response`.
 */
export interface RouteOutcome {
  readonly response: ApiGatewayProxyResult;
  readonly outcome: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}
