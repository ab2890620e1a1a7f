import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. V8 exposes `gc` only under --expose-gc; setting the flag at run time
 * and reading `gc` from a fresh context gives it without a command-line flag (jest's leak detector
 * does the same). The engine calls it after handing a model's bytes to ONNX Runtime: at 512 px they
 * are about 100 MB that an evaluation, allocating almost nothing in JavaScript, would never collect.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
