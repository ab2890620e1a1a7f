/** The abort reason of a stopped job: why it stopped decides its final state. */
export class JobStopped extends Error {
  constructor(
    readonly why: 'cancel' | 'time_limit',
    message: string,
  ) {
    super(message);
    this.name = 'JobStopped';
  }
}
