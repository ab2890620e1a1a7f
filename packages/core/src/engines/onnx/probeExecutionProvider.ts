import { encodeOnnxModel } from './encodeOnnxModel.ts';
import type { OrtApi, OrtSessionOptions } from './OrtApi.ts';

/** A one-node graph (y = x + x), enough to make an execution provider start or say why it cannot. */
const PROBE_MODEL = encodeOnnxModel({
  name: 'probe',
  nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
  initializers: [],
  inputs: [{ name: 'x', dims: [4] }],
  outputs: [{ name: 'y', dims: [4] }],
});

/**
 * Opens a session with these options on a tiny graph and checks its answer, so that a provider that cannot
 * start (or a binary that cannot be fetched) is known before any weights load; throws with ORT's reason.
 */
export async function probeExecutionProvider(ort: OrtApi, sessionOptions: OrtSessionOptions): Promise<void> {
  const session = await ort.InferenceSession.create(PROBE_MODEL, sessionOptions);
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
    const values = (y.data as Float32Array).join();
    if (values !== '2,4,6,8') throw new Error(`the ${String(sessionOptions.executionProviders)} provider computed ${values} for 2·[1, 2, 3, 4]`);
  } finally {
    await session.release();
  }
}
