export {
  formatLintResult,
  isVarsContextFalsePositive,
  lintWorkflow,
  type LintResult,
} from './actionlint';
export {
  checkDependabotPolicy,
  checkWorkflowPolicy,
  formatFinding,
  type PolicyFinding,
  type PolicyRuleId,
} from './workflow-policy';
export { lintAs, type LintMessage } from './module-boundaries';
