/**
 * A student kit's self-check: runs the public checks of a kit (plans with precomputed expected
 * values) against a submission folder, in the same sandbox and with the same evaluation code as
 * instructor grading, but without jest and without any reference code. One submission, one
 * sandbox process, every planned call in one round trip.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NamespaceTool } from '../sandbox/isolation';
import type { AllowedModules } from '../sandbox/modules';
import { stageSubmission } from '../sandbox/stage';
import { runCheck } from '../suite/check';
import { activate, newRun } from '../suite/context';
import { evaluatePlan } from '../suite/evaluate';
import { plannedCalls } from '../suite/plans';
import { runUidBase } from '../sandbox/python/uids';
import { completeRun } from '../suite/runner';
import { buildResult } from '../grading/results';
import { withStage } from '../grading/stagedContext';
import { entryOf } from '../grading/entryFile';
import type { PythonAvailability } from '../sandbox/python/policy';
import type { SubmissionResult } from '../types';
import type { KitSpec } from './spec';

export interface SelfCheckOptions {
  kit: KitSpec;
  /** The submission folder (holding the entry file). */
  dir: string;
  /** The kit's bundled allowed modules, and the namespace tool probed once. */
  resolved: { namespace: NamespaceTool | null; modules: AllowedModules };
  /** How Python runs here, asked only when the submission is in Python (probing costs a process start). */
  python?: () => PythonAvailability;
}

/** Grades `dir` with the kit's public checks and returns the result (scope `public`). */
export async function selfCheck(options: SelfCheckOptions): Promise<SubmissionResult> {
  const { kit } = options;
  const started = new Date();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-check-'));
  try {
    // Traversable by the unprivileged user the Python sandbox runs as when the checker runs as root.
    fs.chmodSync(root, 0o711);
    const staged = stageSubmission(options.dir, path.join(root, 'stage'), entryOf(kit.assignment), { skipTags: kit.assignment.python?.skipTags });
    const python = staged.status === 'staged' && staged.runtime === 'python' ? options.python?.() : undefined;
    const settings = kit.assignment.python;
    const context = withStage(
      {
        submission: path.basename(path.resolve(options.dir)),
        assignment: kit.assignment.id,
        limits: kit.limits,
        allowedModules: kit.allowedModules,
        scope: 'public',
        sidecar: '',
        resolved: options.resolved,
        ...(python?.status === 'ready' && settings
          ? {
              python: {
                names: settings.names,
                allowedModules: settings.allowedModules,
                runtime: python.runtime,
                uidBase: runUidBase(),
              },
            }
          : {}),
      },
      staged,
      python?.status === 'refused' ? python.message : staged.status === 'staged' && staged.runtime === 'python' && !python ? 'this kit cannot run Python' : undefined,
    );
    const run = newRun(context);
    run.declared.push(...kit.checks.map((c) => c.meta));
    run.planned.public.push(...kit.checks.flatMap((c) => plannedCalls(c.plan)));
    run.plans.push(...kit.checks);
    for (const { meta, plan } of kit.checks) run.recorded.push(await runCheck(run, meta, () => evaluatePlan(plan)));
    activate(run);
    let record;
    try {
      record = await completeRun(run);
    } finally {
      activate(undefined);
    }
    return buildResult({
      submission: context.submission,
      assignment: kit.assignment.id,
      scope: 'public',
      graderVersion: `${kit.mlgrade} (student kit)`,
      startedAt: started,
      durationMs: Date.now() - started.getTime(),
      record,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
