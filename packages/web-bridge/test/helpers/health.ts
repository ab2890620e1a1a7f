import type { Health, RunnerStatus } from '../../src/index.ts';

/** A runner's health as `GET /v1/health` gives it; `overrides` change the parts a test is about. */
export function health(overrides: { backend?: string; gpu?: boolean; queue?: Partial<Health['queue']>; limits?: Partial<Health['limits']> } = {}): Health {
  return {
    name: 'pastiche',
    version: '0.1.0',
    backend: overrides.backend ?? 'onnx-cuda',
    device: 'NVIDIA GPU (CUDA)',
    gpu: overrides.gpu ?? true,
    models: ['vgg16'],
    backends: [{ name: 'onnx-cuda', loads: true, auto: true, device: 'NVIDIA GPU (CUDA)' }],
    limits: {
      maxSide: 4096,
      maxPixels: 4096 * 4096,
      maxBodyMb: 100,
      maxStyles: 8,
      maxEvaluations: 5000,
      maxJobSeconds: 3600,
      queueCap: 8,
      userQueueCap: 10,
      userMaxSide: 4096,
      concurrency: 1,
      keepResultsMinutes: 30,
      ...overrides.limits,
    },
    queue: { queued: 0, running: 0, kept: 0, ...overrides.queue },
    engine: { restarts: 0, processes: [{ state: 'idle', pid: 1234, restarts: 0, lastExit: null, memory: { numTensors: 10, numBytes: 1e6 } }] },
  };
}

export const ready = (h = health()): RunnerStatus => ({ state: 'ready', health: h });
