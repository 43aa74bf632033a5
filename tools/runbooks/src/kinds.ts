import type { MetricAlarm } from './plan';

/** What kind of trouble an alarm reports: decides what it usually means and how to recover. */
export type AlarmKind =
  | 'errors'
  | 'throttles'
  | 'duration'
  | 'function-dlq'
  | 'ratio'
  | 'executions-failed'
  | 'executions-timed-out'
  | 'executions-throttled'
  | 'rule-failed-invocations'
  | 'dead-letter-delivery'
  | 'rule-dlq'
  | 'schedule-dlq'
  | 'table-throttles'
  | 'table-errors'
  | 'api-5xx'
  | 'api-4xx'
  | 'api-latency'
  | 'metric';

/** The saved query (domain-observability) that answers an alarm of a kind first. */
export type QueryKind =
  'errors-by-correlation-id' | 'slowest-invocations' | 'cold-starts' | 'execution-logs';

/**
 * An alarm's kind, from its metric (namespace and name) and what it watches; `metric` when no
 * rule applies (the runbook then describes the metric only).
 */
export function alarmKind(alarm: MetricAlarm): AlarmKind {
  const [first] = alarm.metrics;
  const id = first ? `${first.namespace} ${first.name}` : '';
  if (alarm.expression?.includes('SystemErrors')) return 'table-errors';
  if (alarm.expression && alarm.metrics.length > 1) return 'ratio';
  switch (id) {
    case 'AWS/Lambda Errors':
      return 'errors';
    case 'AWS/Lambda Throttles':
      return 'throttles';
    case 'AWS/Lambda Duration':
      return 'duration';
    case 'AWS/States ExecutionsFailed':
      return 'executions-failed';
    case 'AWS/States ExecutionsTimedOut':
      return 'executions-timed-out';
    case 'AWS/States ExecutionThrottled':
      return 'executions-throttled';
    case 'AWS/Events FailedInvocations':
      return 'rule-failed-invocations';
    case 'AWS/Events InvocationsFailedToBeSentToDlq':
      return 'dead-letter-delivery';
    case 'AWS/DynamoDB ReadThrottleEvents':
    case 'AWS/DynamoDB WriteThrottleEvents':
      return 'table-throttles';
    case 'AWS/SQS ApproximateNumberOfMessagesVisible':
      return alarm.resource?.kind === 'function'
        ? 'function-dlq'
        : alarm.resource?.kind === 'schedule'
          ? 'schedule-dlq'
          : 'rule-dlq';
  }
  if (first?.name === '5XXError') return 'api-5xx';
  if (first?.name === '4XXError') return 'api-4xx';
  if (first?.name === 'Latency') return 'api-latency';
  return 'metric';
}

/** Per kind: what it usually means (one paragraph) and the saved query to open first. */
export const KINDS: Readonly<Record<AlarmKind, { meaning: string; query: QueryKind }>> = {
  errors: {
    meaning:
      'The function threw: a bad input the schema refused (EventParseError names the field), a dependency that failed (S3, DynamoDB, SES, a downstream API), or a bug in the last deploy. Each failure is logged once at ERROR with its correlation id before it is re-thrown to Lambda or Step Functions.',
    query: 'errors-by-correlation-id',
  },
  throttles: {
    meaning:
      'Lambda refused invocations: the function hit its reserved concurrency or the account its concurrency limit. Synchronous callers got 429 (API Gateway, AppSync); asynchronous events are retried by Lambda for up to six hours, then land in the dead-letter queue.',
    query: 'slowest-invocations',
  },
  duration: {
    meaning:
      'Invocations got slow: a slow dependency (look for long subsegments in X-Ray), more data per event, too little memory (CPU follows memory), or cold starts after a deploy or a scale-out. Close to the timeout, the next step is a timeout error.',
    query: 'slowest-invocations',
  },
  'function-dlq': {
    meaning:
      "Asynchronous invocations failed every retry and their records (the event and the error) wait in the function's dead-letter queue. Nothing is lost yet: the records stay 14 days.",
    query: 'errors-by-correlation-id',
  },
  ratio: {
    meaning:
      'A data-quality ratio the function computes from its own Powertools metrics went above its threshold: the inputs changed (a new producer, a schema drift) rather than the code failing. The rejected rows are kept in quarantine with their reason.',
    query: 'errors-by-correlation-id',
  },
  'executions-failed': {
    meaning:
      "An execution ended FAILED: a Task whose Retry was spent and whose Catch led to a Fail state, or a failure no Catch handles. The failing state and its error are in the execution history and in the execution's logs.",
    query: 'execution-logs',
  },
  'executions-timed-out': {
    meaning:
      'An execution ran past its TimeoutSeconds: a Task waiting on a slow or stuck dependency, a Map with more items than usual, or a retry loop.',
    query: 'slowest-invocations',
  },
  'executions-throttled': {
    meaning:
      "Step Functions throttled StartExecution or state transitions: a burst of starts above the account's quota in this region.",
    query: 'slowest-invocations',
  },
  'rule-failed-invocations': {
    meaning:
      "EventBridge could not deliver events to the rule's target after every retry (target missing, its resource policy or the rule's role refusing, or the target throttling); the events went to the rule's dead-letter queue.",
    query: 'errors-by-correlation-id',
  },
  'dead-letter-delivery': {
    meaning:
      'EventBridge could not even write undeliverable events to the dead-letter queue (its policy or its encryption refuses): those events are lost unless the bus archive has them.',
    query: 'errors-by-correlation-id',
  },
  'rule-dlq': {
    meaning:
      "Events that never reached their target wait in the rule's dead-letter queue, the error in their message attributes.",
    query: 'errors-by-correlation-id',
  },
  'schedule-dlq': {
    meaning:
      "A scheduled run did not reach its target after every retry; the run's payload and the error wait in the schedule's dead-letter queue.",
    query: 'errors-by-correlation-id',
  },
  'table-throttles': {
    meaning:
      "DynamoDB throttled requests on an on-demand table: a hot partition key, or traffic above twice the table's previous peak within 30 minutes. The SDK retries; the callers see latency and, at worst, errors.",
    query: 'slowest-invocations',
  },
  'table-errors': {
    meaning:
      'DynamoDB answered HTTP 500 (a service-side error). The SDK retries these; a lasting rate is an AWS incident (AWS Health Dashboard).',
    query: 'errors-by-correlation-id',
  },
  'api-5xx': {
    meaning:
      'The API answered server errors: a resolver or integration Lambda threw or timed out, or its invoke permission is missing. Clients saw the failure.',
    query: 'errors-by-correlation-id',
  },
  'api-4xx': {
    meaning:
      'Clients sent requests the API refused (authorization, validation, unknown routes): a client release, an expired identity provider key, or probing.',
    query: 'errors-by-correlation-id',
  },
  'api-latency': {
    meaning:
      'The API got slow: its resolver or integration Lambdas (their duration and cold starts) or the services they call.',
    query: 'slowest-invocations',
  },
  metric: {
    meaning: 'The metric crossed its threshold; the alarm description says what to look at.',
    query: 'errors-by-correlation-id',
  },
};
