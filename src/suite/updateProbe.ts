/**
 * Measures a trainer's update rule step by step, by calling it again in the sandbox: the
 * parameters after k epochs (k = 1, 2, then by bisection up to the first update that leaves the
 * reference's path), and the first step of a fresh run started where that update started. The
 * measurements go to ./updateDiagnosis, which names the mistake. Used by the training evaluators
 * when a check fails, so a correct submission is never called more than its checks plan.
 */
import type { LinearParameters } from './linearModel';
import { callStudent } from './submission';
import { dimensionsOf, epochsOf, lrOf, parameterNames, startingAt, withOptions, type TrainerCall } from './trainer';
import { parametersOf } from './trainerResult';
import type { ExplainedRun } from './trainingPlans';
import {
  decayRate,
  diagnoseStateful,
  diagnoseStep,
  stepBetween,
  stepsClose,
  weightDecayHint,
  type StepContext,
} from './updateDiagnosis';

/** What the probes found. */
export interface UpdateFinding {
  /** The first update whose result leaves the reference's path (1-based), when one was found. */
  index?: number;
  /** Whether the parameters after one epoch are the reference's (undefined: not measured). */
  firstMatches?: boolean;
  /** The diagnosis of that update, when one fits. */
  hint?: string;
}

/**
 * Whether parameters `got` after update k are the reference's `path[k]`, to 1e-6 of the size of
 * the reference's step k (a correct trainer agrees to ~1e-13: only the order of sums differs).
 */
export function onPath(got: LinearParameters, path: LinearParameters[], k: number): boolean {
  const step = stepBetween(path[k - 1], path[k]);
  const stepSize = Math.max(0, ...step.weights.map(Math.abs), ...step.biases.map(Math.abs));
  const target = [...path[k].weights, ...path[k].biases];
  const size = Math.max(1, ...target.map(Math.abs));
  const values = [...got.weights, ...got.biases];
  return values.length === target.length && values.every((v, i) => Math.abs(v - target[i]) <= 1e-6 * stepSize + 1e-12 * size);
}

/** The words of a hint that only says "some constant factor": worth a look at the next update for a schedule. */
const PLAIN_FACTOR = /is exactly -?[\d.]+× the reference step: a constant factor/;

/**
 * Calls the trainer as needed and explains where and how its updates leave the reference's:
 * `finalParams` are the parameters the check's own call returned (after `epochs` updates).
 */
export async function explainUpdates(explained: ExplainedRun, finalParams?: LinearParameters): Promise<UpdateFinding> {
  const { run, reference, alternatives } = explained;
  const epochs = epochsOf(run);
  const path = reference.path;
  if (epochs === 0) return {};
  const cache = new Map<number, LinearParameters | undefined>([[0, path[0]]]);
  if (finalParams) cache.set(epochs, finalParams);
  const after = async (k: number): Promise<LinearParameters | undefined> => {
    if (!cache.has(k)) cache.set(k, await probeParameters(withOptions(run, { epochs: k })));
    return cache.get(k);
  };
  const fresh = async (start: LinearParameters): Promise<LinearParameters | undefined> => {
    const end = await probeParameters(withOptions(run, { ...startingAt(run, start), epochs: 1 }));
    return end && stepBetween(start, end);
  };
  const { n, d, k } = dimensionsOf(run);
  const context: StepContext = { lr: lrOf(run), n, names: parameterNames(run.model, d, k) };

  const p1 = await after(1);
  if (!p1) return {};
  if (!onPath(p1, path, 1)) {
    const s1 = stepBetween(path[0], p1);
    let hint = diagnoseStep(s1, stepBetween(path[0], path[1]), { ...context, alternatives, before: path[0], index: 1 });
    // With a single weight, one step cannot tell weight decay from a factor on the weights: the
    // same λ at a second point (a fresh run from the reference's parameters after one update) can.
    const decay1 = decayRate(s1, stepBetween(path[0], path[1]), path[0], context.lr);
    if (decay1 && epochs >= 2 && path[0].weights.filter((w) => w !== 0).length < 2) {
      const second = await fresh(path[1]);
      const decay2 = second && decayRate(second, stepBetween(path[1], path[2]), path[1], context.lr);
      if (decay2 && decay2.biases === decay1.biases && Math.abs(decay2.lambda - decay1.lambda) <= 1e-6 * decay1.lambda) {
        return { index: 1, firstMatches: false, hint: weightDecayHint(1, decay1.lambda, decay1.biases === 'decayed') };
      }
    }
    if (hint && PLAIN_FACTOR.test(hint) && epochs >= 2) {
      const p2 = await after(2);
      const restarted = await fresh(p1);
      if (p2 && restarted && !stepsClose(stepBetween(p1, p2), restarted)) {
        const stateful = diagnoseStateful({ index: 2, continued: stepBetween(p1, p2), fresh: restarted, previous: s1 });
        hint += ` Moreover, ${stateful.replace(/^Your/, 'your')}`;
      }
    }
    return { index: 1, firstMatches: false, hint };
  }
  if (epochs === 1) return { firstMatches: true };

  // The first update t ≥ 2 that leaves the path: updates before it match, so it starts where the reference's did.
  let lo = 1;
  let hi: number;
  const p2 = await after(2);
  if (!p2) return { firstMatches: true };
  if (!onPath(p2, path, 2)) hi = 2;
  else {
    const last = await after(epochs);
    if (!last || onPath(last, path, epochs)) return { firstMatches: true };
    lo = 2;
    hi = epochs;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const p = await after(mid);
      if (!p) return { firstMatches: true };
      if (onPath(p, path, mid)) lo = mid;
      else hi = mid;
    }
  }
  const t = hi;
  const before = (await after(t - 1))!;
  const end = (await after(t))!;
  const earlier = await after(t - 2);
  const continued = stepBetween(before, end);
  const expected = stepBetween(path[t - 1], path[t]);
  const restarted = await fresh(before);
  if (restarted && earlier && stepsClose(restarted, expected)) {
    const previous = stepBetween(earlier, before);
    return { index: t, firstMatches: true, hint: diagnoseStateful({ index: t, continued, fresh: restarted, previous }) };
  }
  return { index: t, firstMatches: true, hint: diagnoseStep(restarted ?? continued, expected, { ...context, before, index: t }) };
}

/** The parameters a probe call returned (NaN allowed: a diagnosis can say so), or undefined. */
async function probeParameters(run: TrainerCall): Promise<LinearParameters | undefined> {
  try {
    return parametersOf(run, await callStudent(run.fn, run.args, run.call), { finite: false });
  } catch {
    return undefined;
  }
}
