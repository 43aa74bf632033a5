/**
 * `@slipway/terraform`: offline Terraform plans (no AWS account, no state bucket) and the state
 * an apply would leave, built offline from such a plan.
 */
export * from './offline-plan';
export * from './applied-state';
