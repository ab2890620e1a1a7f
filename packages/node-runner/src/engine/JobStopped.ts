/**
 * The abort reason of a stopped job: why it stopped decides its final state. 'keep': stopped to be continued later
 * (a runner's 'keep' shutdown, a worker's hand-back), so its last step is checkpointed before it stops.
 */
export class JobStopped extends Error {
  constructor(
    readonly why: 'cancel' | 'keep' | 'time_limit',
    message: string,
  ) {
    super(message);
    this.name = 'JobStopped';
  }
}
