/**
 * A long-running command's Ctrl-C / SIGTERM: the first shuts down gracefully (resolving once `close` settles,
 * whatever it throws: the process is ending), a second asks for the hard way (`again`, with what it does said).
 */
export function untilStopped(close: () => Promise<void>, again: { says: string; run: () => void }): Promise<void> {
  return new Promise<void>((resolve) => {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      received++;
      if (received === 1) {
        process.stderr.write(`${signal}: shutting down\n`);
        close().then(resolve, (error) => {
          process.stderr.write(`error while shutting down: ${(error as Error).message}\n`);
          resolve();
        });
      } else {
        process.stderr.write(`${signal}: ${again.says}\n`);
        again.run();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
