import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes the active backend's kernel throw on its `call`-th run from now, as running out of memory would;
 * returns the function that puts the kernel back.
 */
export function failKernelOnCall(kernelName: string, call: number, message: string): () => void {
  const backendName = tf.getBackend();
  const config = tf.getKernel(kernelName, backendName);
  if (!config) throw new Error(`${backendName} has no ${kernelName} kernel`);
  let calls = 0;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      if (++calls === call) throw new Error(message);
      return config.kernelFunc(args);
    },
  });
  return () => {
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
  };
}
