import type { Engine } from '../engine/types.ts';
import type { ScalePlan } from '../plan/planScales.ts';
import type { ResolvedRequest, StylizeRequest } from '../request/types.ts';
import type { StylizeCallbacks } from '../stylize.ts';
import { CheckpointError } from './CheckpointError.ts';
import { createCheckpointer, DEFAULT_CHECKPOINT_EVERY } from './createCheckpointer.ts';
import { checkSameRun, runIdentity } from './runIdentity.ts';
import type { StylizeCheckpoint } from './StylizeCheckpoint.ts';

/** A resumed request without a seed takes its checkpoint's: the seed is part of the run it continues. */
export function withResumedSeed(request: StylizeRequest): StylizeRequest {
  const seed = request.resume?.identity?.options?.seed;
  if (seed === undefined || request.options?.seed !== undefined) return request;
  return { ...request, options: { ...request.options, seed } };
}

/**
 * What stylize needs to checkpoint and resume: the scales' plan (the checkpoint's when resuming, so that tiles and
 * L-BFGS pairs are as they were), the checkpoint to resume after checking it is this run's, and the checkpointer.
 * The inputs are hashed only when a run checkpoints or resumes.
 */
export async function prepareCheckpoints(
  engine: Engine,
  request: ResolvedRequest,
  resume: StylizeCheckpoint | undefined,
  callbacks: StylizeCallbacks,
  planScales: () => ScalePlan[],
) {
  if (!resume && !callbacks.onCheckpoint) return { scalePlans: planScales() };
  const identity = await runIdentity(request, engine);
  if (resume) {
    if (typeof resume.identity !== 'object' || resume.identity === null) throw new CheckpointError('corrupt', 'checkpoint unusable: it has no identity');
    checkSameRun(resume.identity, identity);
    checkResumable(resume, request);
  }
  const plan = resume?.plan ?? { scales: planScales(), budgets: request.options.evaluations };
  const checkpointer =
    callbacks.onCheckpoint && createCheckpointer(identity, plan, callbacks.onCheckpoint, callbacks.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, resume?.position.totalEvaluations ?? 0);
  return { scalePlans: plan.scales, resume, checkpointer };
}

/** Checks that a checkpoint holds a position stylize can continue from (a decoded one always does). */
function checkResumable(c: StylizeCheckpoint, request: ResolvedRequest): void {
  const fail = (what: string) => {
    throw new CheckpointError('corrupt', `checkpoint unusable: ${what}`);
  };
  const scales = c.plan?.scales?.length;
  if (!scales || c.plan.budgets?.length !== scales) fail('its plan has no scales');
  const { scale } = c.position ?? {};
  if (!Number.isInteger(scale) || scale < 0 || scale > scales) fail(`its scale ${scale} is not one of the plan's ${scales}`);
  if (c.finishedScales?.length !== scale) fail(`${c.finishedScales?.length} scales finished, at scale ${scale}`);
  if (c.optimizer ? scale === scales : !c.image || !c.loss) fail('it holds neither an optimiser state nor a finished scale');
  if (c.optimizer && c.optimizer.kind !== request.options.optimizer) fail(`its optimiser is ${c.optimizer.kind}, the options' ${request.options.optimizer}`);
}
