/**
 * Contracts of events and jobs (issue 14): the EventBridge envelope a rule's target receives,
 * one file per `detail-type` the domain consumes or emits.
 */
export * from './eventbridge-event';
export * from './session-confirmed';
export * from './session-reminder';
