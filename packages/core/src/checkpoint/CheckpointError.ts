/** Why a checkpoint cannot be used; the message is one line saying which, for a user to read. */
export type CheckpointProblem = 'not-a-checkpoint' | 'truncated' | 'corrupt' | 'version' | 'mismatch' | 'too-large';

export class CheckpointError extends Error {
  constructor(
    readonly problem: CheckpointProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}
