import {
  ASL_NO_PUBLIC_EQUIVALENT,
  at,
  isLambdaTask,
  stateMachineDefinitions,
  walkStates,
  type AslState,
} from '../../asl';
import { findingFor, settingsOf, type Finding, type Rule } from '../types';

/** Thresholds of SLW-SFN-003. */
export interface RetrySettings {
  /** The largest `MaxAttempts` a retrier may set (Step Functions accepts up to 99999999). */
  maxAttempts: number;
}

/**
 * The transient errors of the Lambda service every Lambda Task retries: the 500s AWS names in
 * "Handle Lambda service exceptions" (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html)
 * and the throttle Lambda returns at its concurrency limit.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * Error-name endings that mean "transient" for other service integrations (throttles, 5xx,
 * SDK client errors): `MediaConvert.TooManyRequestsException`, `S3.InternalError`, ...
 */
const TRANSIENT_SUFFIX =
  /\.(TooManyRequestsException|ThrottlingException|Throttling|ThrottledException|ProvisionedThroughputExceededException|RequestLimitExceeded|ServiceUnavailable|ServiceUnavailableException|ServiceException|InternalServerError|InternalServerErrorException|InternalServerException|InternalError|InternalFailure|SdkClientException|RequestTimeout|RequestTimeoutException)$/;

type Retrier = { ErrorEquals?: unknown; MaxAttempts?: unknown; BackoffRate?: unknown };

const retriers = (state: AslState): Retrier[] =>
  Array.isArray(state.Retry)
    ? (state.Retry as Retrier[]).filter((r) => r && typeof r === 'object')
    : [];
const errorsOf = (r: Retrier): string[] =>
  Array.isArray(r.ErrorEquals)
    ? r.ErrorEquals.filter((e): e is string => typeof e === 'string')
    : [];
/** Step Functions' default MaxAttempts is 3; 0 means "never retry". */
const attemptsOf = (r: Retrier): number => (typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3);

/** The first retrier that handles `error` (ASL picks the first match), or undefined. */
function handlerOf(list: Retrier[], error: string): Retrier | undefined {
  return list.find((r) => {
    const errs = errorsOf(r);
    return (
      errs.includes(error) || errs.includes('States.ALL') || errs.includes('States.TaskFailed')
    );
  });
}

/**
 * SLW-SFN-003 — every Task retries transient errors, with backoff and a bound.
 *
 * Reads the ASL each `aws_sfn_state_machine` deploys (see `src/asl.ts`), every state including
 * Parallel branches and Map processors:
 * - a Task that invokes Lambda (`arn:aws:states:::lambda:invoke`, `.waitForTaskToken`, or a
 *   function ARN) has, for each of {@link LAMBDA_TRANSIENT_ERRORS}, a first matching retrier
 *   (the error itself, `States.TaskFailed` or `States.ALL`) with `MaxAttempts` not 0;
 * - any other Task has a retrier (MaxAttempts not 0) for `States.ALL`, `States.TaskFailed` or a
 *   transient error of its service (a name ending in `TooManyRequestsException`,
 *   `ThrottlingException`, `ServiceUnavailable`, `InternalServerError`, ...);
 * - every retrier of every state: `BackoffRate` (default 2.0) above 1, `MaxAttempts` at most the
 *   profile's `maxAttempts`, and a retrier on `States.ALL` sets `MaxAttempts` explicitly.
 *
 * Deliberate difference from AWS's sample: `Lambda.ClientExecutionTimeoutException` is not
 * required (the Lambda integration reports a client timeout as `Lambda.SdkClientException`).
 * No public equivalent: checkov's two Step Functions checks are CKV_AWS_284 (X-Ray, SLW-SFN-001)
 * and CKV_AWS_285 (logging, SLW-SFN-002); trivy has none; neither reads the definition.
 */
export const rule: Rule<RetrySettings> = {
  id: 'SLW-SFN-003',
  title: 'Every Task retries transient errors with backoff and bounded attempts',
  severity: 'medium',
  rationale:
    'Lambda and the other services return transient 5xx and throttling errors; without a Retry one blip fails the execution (or sends good input to quarantine), and retries without backoff or without a bound amplify an outage.',
  fix: 'Add "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 4, "BackoffRate": 2, "JitterStrategy": "FULL" }] to the Task (for other services: their throttling/5xx errors or States.TaskFailed).',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: { maxAttempts: 10 }, strict: { maxAttempts: 10 } },
  check(model, profile, context) {
    const settings = settingsOf(this, profile)!;
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out)) {
      for (const visit of walkStates(asl)) {
        const list = retriers(visit.state);
        const problems: string[] = [];
        list.forEach((r, i) => {
          const errs = errorsOf(r);
          if (typeof r.BackoffRate === 'number' && r.BackoffRate <= 1)
            problems.push(`Retry[${i}] BackoffRate ${r.BackoffRate} does not back off (use > 1)`);
          if (attemptsOf(r) > settings.maxAttempts)
            problems.push(
              `Retry[${i}] MaxAttempts ${attemptsOf(r)} is above ${settings.maxAttempts}`,
            );
          if (errs.includes('States.ALL') && typeof r.MaxAttempts !== 'number')
            problems.push(`Retry[${i}] on States.ALL does not set MaxAttempts`);
        });
        if (visit.state.Type === 'Task') {
          if (isLambdaTask(visit.state)) {
            const missing = LAMBDA_TRANSIENT_ERRORS.filter((e) => {
              const h = handlerOf(list, e);
              return !h || attemptsOf(h) === 0;
            });
            if (missing.length)
              problems.push(`does not retry the transient Lambda errors ${missing.join(', ')}`);
          } else if (
            !list.some(
              (r) =>
                attemptsOf(r) > 0 &&
                errorsOf(r).some(
                  (e) =>
                    e === 'States.ALL' || e === 'States.TaskFailed' || TRANSIENT_SUFFIX.test(e),
                ),
            )
          )
            problems.push(
              'does not retry transient errors (States.TaskFailed, or its service throttling/5xx errors)',
            );
        }
        if (problems.length)
          out.push(findingFor(this, resource, `${at(visit)}: ${problems.join('; ')}.`));
      }
    }
    return out;
  },
};
