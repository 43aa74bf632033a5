import {
  firstBlock,
  isUnknown,
  linked,
  resourcesOfType,
  unknownFrom,
  type Resource,
  type UnknownValue,
} from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-009 — asynchronous invocations that fail every retry are kept.
 *
 * An `aws_lambda_function_event_invoke_config` (how Lambda retries the events EventBridge,
 * Scheduler or S3 hand it asynchronously) must send what fails its retries somewhere: an
 * on-failure destination (`destination_config.on_failure.destination`), whose record keeps the
 * original event and the error, or at least the function's own `dead_letter_config` (the event
 * alone). Without either, Lambda discards the event after `maximum_retry_attempts` and only the
 * function's error metric remembers it. A FIFO queue or topic as the destination is reported
 * too: Lambda cannot deliver to one, and the record is lost.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 *
 * The function is found through the config's `function_name` (a reference or the same literal
 * name or ARN). Unknown blocks, destinations or functions give no finding. Neither checkov nor
 * trivy checks event invoke configs (CKV_AWS_116 is the function's own DLQ, which SLW-LAMBDA-003
 * covers).
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-009',
  title: 'Failed asynchronous invocations have a destination',
  severity: 'high',
  rationale:
    'An asynchronously invoked function whose invoke config names no on-failure destination (and whose function has no dead-letter queue) drops every event that fails its retries.',
  fix: "Add destination_config { on_failure { destination = <the function's standard SQS dead-letter queue ARN> } } (the lambda-function module's async_invocation does) and allow sqs:SendMessage on it in the execution role.",
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov CKV_AWS_116 asks for a function DLQ, not for an on-failure destination of aws_lambda_function_event_invoke_config; no public check tests the destination.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const config of resourcesOfType(model, 'aws_lambda_function_event_invoke_config')) {
      const destinations = firstBlock(config.attributes, 'destination_config');
      const onFailure = isUnknown(destinations)
        ? destinations
        : destinations
          ? firstBlock(destinations, 'on_failure')
          : undefined;
      const destination = isUnknown(onFailure) ? onFailure : onFailure?.destination;
      if (setAfterApply(destination)) continue;
      if (isUnknown(destination)) {
        cannotVerify(
          this,
          config,
          'the failure destination',
          destination,
          'destination_config',
          context,
        );
        continue;
      }
      if (typeof destination === 'string' && destination !== '') {
        if (/\.fifo$/.test(destination))
          out.push(
            findingFor(
              this,
              config,
              `on_failure destination ${destination} is a FIFO queue or topic, which Lambda cannot deliver to: failed events are lost.`,
            ),
          );
        continue;
      }
      const kept = functionDeadLetter(config);
      if (kept === 'kept') continue;
      if (kept !== 'none') {
        cannotVerify(
          this,
          config,
          'the failure destination',
          kept.value,
          kept.attribute,
          context,
          kept.holder,
        );
        continue;
      }
      out.push(
        findingFor(
          this,
          config,
          'no destination_config.on_failure and no dead_letter_config on the function: an event that fails every retry is discarded.',
        ),
      );
    }
    return out;
  },
};

/** Whether the config's function keeps failed events itself (its dead_letter_config). */
function functionDeadLetter(
  config: Resource,
): 'kept' | 'none' | { value: UnknownValue; attribute: string; holder: Resource } {
  const functions = linked(config, 'aws_lambda_function');
  if (functions.length === 0) return 'none';
  if (functions.length > 1)
    return {
      value: unknownFrom('unresolved', undefined, undefined, 'it names more than one function'),
      attribute: 'function_name',
      holder: config,
    };
  const dlq = firstBlock(functions[0].attributes, 'dead_letter_config');
  const target = isUnknown(dlq) ? dlq : dlq?.target_arn;
  if (setAfterApply(target)) return 'kept';
  if (isUnknown(target))
    return { value: target, attribute: 'dead_letter_config', holder: functions[0] };
  if (!dlq) return 'none';
  return typeof target === 'string' && target !== '' ? 'kept' : 'none';
}
