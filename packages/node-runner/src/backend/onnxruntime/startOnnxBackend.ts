import os from 'node:os';
import { createOnnxEngine, ENGINES, probeExecutionProvider, type CreateEngine, type NodeBackendName } from '@pastiche/core';
import { collectGarbage } from '../collectGarbage.ts';
import { probeWebGpuAdapter } from '../probeWebGpuAdapter.ts';
import { assertCudaProviderInstalled, loadOnnxRuntime } from './loadOnnxRuntime.ts';

export type OnnxBackendName = Extract<NodeBackendName, `onnx-${string}`>;

export interface StartedOnnxBackend {
  createEngine: CreateEngine;
  device: string;
  maxTensorBytes?: number;
  software: boolean;
}

/**
 * Starts one of ONNX Runtime's execution providers (checked on a tiny graph) and makes its engine factory.
 * `forced` (asked for by name) accepts a software GPU. `device`: the CPU's name, for the CPU provider.
 */
export async function startOnnxBackend(name: OnnxBackendName, { forced, device: cpu, memoryBytes }: { forced: boolean; device: string; memoryBytes: number }): Promise<StartedOnnxBackend> {
  const platform = `${process.platform}-${process.arch}`;
  const { provider, node } = ENGINES[name];
  if (!(node.platforms as readonly string[]).includes(platform)) throw new Error(`not available on ${platform}`);
  let device = cpu;
  let maxTensorBytes: number | undefined;
  let software = false;
  if (name === 'onnx-webgpu') {
    const adapter = await probeWebGpuAdapter();
    if (adapter.software && !forced) throw new Error(`only a software adapter (${adapter.description}), slower than the CPU; --backend onnx-webgpu uses it anyway`);
    device = `${adapter.description}${adapter.software ? ' (software)' : ''}`;
    maxTensorBytes = adapter.maxStorageBufferBindingSize;
    software = adapter.software;
  } else if (name === 'onnx-cuda') {
    assertCudaProviderInstalled();
    device = 'NVIDIA GPU (CUDA)';
  } else if (name !== 'onnx-cpu') {
    device = `${provider} device`;
  }
  const { ort, version } = await loadOnnxRuntime();
  // Fatal only: a provider that cannot start is reported here, not logged by ORT.
  await probeExecutionProvider(ort, { executionProviders: [provider], logSeverityLevel: 4 }).catch((error: Error) => {
    throw new Error(`the ${provider} provider did not start (${error.message.split('\n')[0].slice(0, 300)})`);
  });
  // Every logical core: ORT's default counts physical ones, one on a 2-vCPU machine, which halved its speed here.
  const sessionOptions = { executionProviders: [provider], intraOpNumThreads: os.availableParallelism() };
  const createEngine = createOnnxEngine({ ort, name, runtime: version, sessionOptions, maxTensorBytes, memoryBytes, collectGarbage });
  return { createEngine, device, maxTensorBytes, software };
}
