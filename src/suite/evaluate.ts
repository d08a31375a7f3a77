/**
 * Evaluates a check plan of any kind (see ./plans) against the submission under test.
 */
import { evaluateFiniteDifferences, evaluateGradient, evaluateInterface, evaluateValue } from './functionEvaluators';
import type { CheckPlan } from './plans';
import { evaluateTrainingPlan } from './trainingEvaluators';

export async function evaluatePlan(plan: CheckPlan): Promise<void> {
  switch (plan.kind) {
    case 'interface':
      return evaluateInterface(plan);
    case 'value':
      return evaluateValue(plan);
    case 'gradient':
      return evaluateGradient(plan);
    case 'finite-differences':
      return evaluateFiniteDifferences(plan);
    default:
      return evaluateTrainingPlan(plan);
  }
}
