import {
  ASL_NO_PUBLIC_EQUIVALENT,
  at,
  nestedMachines,
  stateMachineDefinitions,
  walkStates,
  type AslMachine,
  type AslState,
  type StateVisit,
} from '../../asl';
import { findingFor, type Finding, type Rule } from '../types';

type Catcher = { ErrorEquals?: unknown; Next?: unknown };

/** True when a Parallel or Map runs a Task or a Fail somewhere inside. */
function holdsReporter(state: AslState): boolean {
  return nestedMachines(state).some(([, m]) =>
    walkStates(m).some((v) => v.state.Type === 'Task' || v.state.Type === 'Fail'),
  );
}

/**
 * The first path from `start` (a state of `visit.machine`) that ends the execution as succeeded
 * without passing a Task or a Fail, as state names; `undefined` when every path reports.
 * A Choice follows every rule and its Default (no Default: `States.NoChoiceMatched` fails the
 * execution, which reports); the end of a Parallel branch or Map processor continues after the
 * Parallel or Map.
 */
function silentPath(
  start: string,
  machine: AslMachine,
  parent: StateVisit | undefined,
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (
    name: string,
    m: AslMachine,
    up: StateVisit | undefined,
    trail: string[],
  ): string[] | undefined => {
    const key = `${up?.path ?? ''}|${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const state = m.States?.[name];
    if (!state) return undefined; // an unknown Next: AWS rejects the definition
    const here = [...trail, `${name} (${state.Type})`];
    const after = (): string[] | undefined => {
      if (typeof state.Next === 'string') return walk(state.Next, m, up, here);
      return leave(up, here);
    };
    switch (state.Type) {
      case 'Task':
      case 'Fail':
        return undefined;
      case 'Parallel':
      case 'Map':
        return holdsReporter(state) ? undefined : after();
      case 'Succeed':
        return leave(up, here);
      case 'Choice': {
        const nexts = [
          ...(Array.isArray(state.Choices) ? state.Choices : []).map(
            (c) => (c as { Next?: unknown }).Next,
          ),
          state.Default,
        ].filter((n): n is string => typeof n === 'string');
        for (const n of nexts) {
          const p = walk(n, m, up, here);
          if (p) return p;
        }
        return undefined;
      }
      default:
        return after();
    }
  };
  // Leaving a branch or processor: on after the Parallel/Map; leaving the top level: success.
  const leave = (up: StateVisit | undefined, trail: string[]): string[] | undefined => {
    if (!up) return trail;
    if (typeof up.state.Next === 'string') return walk(up.state.Next, up.machine, up.parent, trail);
    return leave(up.parent, trail);
  };
  return walk(start, machine, parent, []);
}

/**
 * SLW-SFN-004 — a Catch leads to a state that reports the error.
 *
 * For every `Catch` of every state (Parallel branches and Map processors included), each path
 * from its `Next` must reach a Task (which publishes, records or quarantines) or a Fail before
 * the execution ends: through Pass and Wait states, every rule and the Default of a Choice, and
 * on after the enclosing Parallel or Map when a branch ends. A path that ends the execution as
 * succeeded first (a bare Succeed, a Pass with `End`) swallows the error: the execution is green,
 * no alarm fires, nothing says the work was not done. Any Task counts as reporting (governance
 * cannot tell what a function does with the error); a Parallel or Map counts when it runs a Task
 * or a Fail. A Task without a Catch is not reported: its error fails the execution, which the
 * `ExecutionsFailed` alarm (SLW-CW-002) reports.
 *
 * No public equivalent: checkov's Step Functions checks are CKV_AWS_284 and CKV_AWS_285
 * (SLW-SFN-001/002); trivy has none; neither reads the definition.
 */
export const rule: Rule = {
  id: 'SLW-SFN-004',
  title: 'Every Catch leads to a state that reports the error',
  severity: 'high',
  rationale:
    'A Catch that ends in Succeed turns a failure into a green execution: no alarm fires, no event announces it, and the input silently vanishes.',
  fix: 'Point the Catch at a Task that records or announces the failure (quarantine, a failure event) followed by a Fail, or at a Fail directly.',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out))
      for (const visit of walkStates(asl)) {
        const catchers = Array.isArray(visit.state.Catch) ? (visit.state.Catch as Catcher[]) : [];
        catchers.forEach((c, i) => {
          if (!c || typeof c.Next !== 'string') return;
          const path = silentPath(c.Next, visit.machine, visit.parent);
          if (path)
            out.push(
              findingFor(
                this,
                resource,
                `${at(visit)}: Catch[${i}] leads to ${path.join(' → ')}, which ends the execution as succeeded without a Task or Fail reporting the error.`,
              ),
            );
        });
      }
    return out;
  },
};
