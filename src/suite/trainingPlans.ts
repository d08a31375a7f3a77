/**
 * Plans of the training checks (see ./trainingChecks): everything a check of a gradient-descent
 * trainer needs, as plain data computed when the suite is declared with the course's reference
 * trainer — the reference's history and its parameters after every update, the steps known
 * mistakes would take, the losses at the start, the held-out set and its limits, the saturated-
 * start lesson. The evaluators (./trainingEvaluators) need nothing else: a public plan runs in a
 * student kit, where no reference code exists.
 */
import type { PlannedCall } from '../sandbox/sandboxProcess';
import type { Curve } from '../types';
import type { Tolerance } from './closeness';
import type { ModelLoss } from './linearModel';
import type { ReferenceRun, TrainerCall, TrainerTolerance } from './trainer';
import type { StepAlternative } from './updateDiagnosis';

/** A call with the reference's run of it and what a wrong update would have done, for explaining updates. */
export interface ExplainedRun {
  run: TrainerCall;
  reference: ReferenceRun;
  /** Steps of known mistakes from the initial parameters. */
  alternatives: StepAlternative[];
}

/** The result is a plain `{ w, b, history }` / `{ W, b, history }` of the right shapes, finite. */
export interface TrainerInterfacePlan {
  kind: 'trainer-interface';
  run: TrainerCall;
}

/** X, the labels and opts are as they were after the call. */
export interface TrainerInputsPlan {
  kind: 'trainer-inputs';
  run: TrainerCall;
}

/**
 * The history convention: epochs + 1 values, history[0] the loss before any update, the last one
 * the loss at the returned parameters; with epochs = 0 the initial parameters come back.
 */
export interface TrainerHistoryPlan {
  kind: 'trainer-history';
  fn: string;
  cases: { run: TrainerCall; reference: ReferenceRun }[];
  tolerance: TrainerTolerance;
}

/**
 * The values recorded are the loss that opts.loss names (mean, from the logits) at parameters the
 * run visits: the initial ones, the returned ones, or the reference's after the update.
 */
export interface TrainerLossPlan {
  kind: 'trainer-loss';
  fn: string;
  cases: {
    /** A call with epochs = 1: its history may hold the loss at the start and after the update. */
    run: TrainerCall;
    loss: ModelLoss;
    /** The reference's loss at the initial parameters. */
    initialLoss: number;
    /** The reference's history of the call (its loss after the update too). */
    referenceHistory: number[];
    /** The other binary loss at the initial parameters (logistic model). */
    otherInitialLoss?: { loss: ModelLoss; value: number };
  }[];
  tolerance: Tolerance;
}

/** Exactly `epochs` updates even where the loss no longer changes: as many history values as an ordinary run. */
export interface TrainerEpochsPlan {
  kind: 'trainer-epochs';
  fn: string;
  /** An ordinary call. */
  control: TrainerCall;
  /** The same number of epochs from a stationary start (the gradient is 0 there). */
  stationary: TrainerCall;
  /** The control with a learning rate so small that the loss changes by less than any stopping threshold. */
  tiny: TrainerCall;
  /** The reference's histories of the stationary and tiny runs, for the curves. */
  reference: { stationary: number[]; tiny: number[] };
}

/** The saturated-start lesson of a logistic trainer (Nielsen, ch. 3), as numbers. */
export interface SaturationLesson {
  loss: 'bce' | 'mse';
  /** Mean σ′(z) over the samples at the start. */
  slope: number;
  /** The reference's mean output σ(z) at the start and after training. */
  referenceOutput: { start: number; end: number };
  /** The other loss from the same start (the reference's): its relative fall. */
  other: { loss: 'bce' | 'mse'; fall: number };
}

/** The parameters after `epochs` updates are the reference's (the update rule), explained step by step when not. */
export interface TrainerTrajectoryPlan extends ExplainedRun {
  kind: 'trainer-trajectory';
  tolerance: TrainerTolerance;
  lesson?: SaturationLesson;
  /** Extra curves to record (e.g. the other loss from the same start). */
  curves?: Curve[];
}

/** With a small learning rate the recorded loss never rises and ends lower. */
export interface TrainerMonotonePlan {
  kind: 'trainer-monotone';
  fn: string;
  cases: ExplainedRun[];
}

/** The returned parameters reach a training loss and a held-out classification error (computed here). */
export interface TrainerHeldOutPlan extends ExplainedRun {
  kind: 'trainer-held-out';
  loss: ModelLoss;
  heldOut: {
    label: string;
    X: number[][];
    /** Class of each held-out sample (0/1, or 0 … K−1). */
    classes: number[];
    maxLoss: number;
    maxError: number;
  };
  /** The reference's training loss and held-out error. */
  referenceLoss: number;
  referenceError: number;
}

/** Every kind of plan the trainer check builders make (plain data, evaluated without the reference). */
export type TrainingPlan =
  | TrainerInterfacePlan
  | TrainerInputsPlan
  | TrainerHistoryPlan
  | TrainerLossPlan
  | TrainerEpochsPlan
  | TrainerTrajectoryPlan
  | TrainerMonotonePlan
  | TrainerHeldOutPlan;

const callOf = (run: TrainerCall): PlannedCall => ({ fn: run.fn, args: run.args });

/** The student calls a training plan's evaluation makes first (probes on failure are made later, unplanned). */
export function trainingPlannedCalls(plan: TrainingPlan): PlannedCall[] {
  switch (plan.kind) {
    case 'trainer-interface':
    case 'trainer-trajectory':
    case 'trainer-held-out':
      return [callOf(plan.run)];
    case 'trainer-inputs':
      return [{ fn: plan.run.fn, args: plan.run.args, echoArgs: true }];
    case 'trainer-history':
    case 'trainer-loss':
    case 'trainer-monotone':
      return plan.cases.map((c) => callOf(c.run));
    case 'trainer-epochs':
      return [callOf(plan.control), callOf(plan.stationary), callOf(plan.tiny)];
  }
}
