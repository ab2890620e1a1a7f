import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OrtApi } from '@pastiche/core';
import { checkOnnxRuntimeVersion } from './checkOnnxRuntimeVersion.ts';

export type OnnxRuntime = OrtApi & { listSupportedBackends(): Array<{ name: string; bundled: boolean }> };

let loaded: Promise<{ ort: OnnxRuntime; version: string }> | undefined;

/**
 * onnxruntime-node, once, with its version ('onnxruntime-node 1.30.0'; another minor version is refused). Its npm
 * package carries the CPU and WebGPU libraries for linux-x64, win32 (and DirectML) and darwin-arm64 only;
 * elsewhere (an Intel Mac, say) it cannot load and the tfjs engines remain.
 */
export function loadOnnxRuntime(): Promise<{ ort: OnnxRuntime; version: string }> {
  loaded ??= import('onnxruntime-node').then(
    (ort) => {
      const version = checkOnnxRuntimeVersion();
      // Sessions report failures as exceptions; ORT's own log would repeat them on stderr.
      ort.env.logLevel = 'fatal';
      return { ort: ort as unknown as OnnxRuntime, version };
    },
    (error: Error) => {
      loaded = undefined;
      throw new Error(`onnxruntime-node did not load on ${process.platform}-${process.arch} (${error.message.split('\n')[0]})`);
    },
  );
  return loaded;
}

/**
 * The CUDA provider is not in onnxruntime-node's npm package: its install script downloads it (our
 * postinstall runs that script where an NVIDIA driver is). Where the library is missing, say so plainly.
 */
export function assertCudaProviderInstalled(): void {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  const library = path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  if (!existsSync(library)) {
    throw new Error('ONNX Runtime\'s CUDA provider is not installed (npm install fetches it on machines with an NVIDIA driver and a network; `npm rebuild` retries)');
  }
}
