import { execFile } from 'node:child_process';

/** What Dawn says of the adapter ONNX Runtime's WebGPU provider would get. */
export interface WebGpuAdapterInfo {
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe/lavapipe, WARP): correct, and far slower than the CPU engine. */
  software: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

// Runs in a child process: Dawn writes driver warnings straight to stderr, and a broken driver can crash
// the process that asks; neither should reach the command line or the runner.
const PROBE = `
const { create } = await import('webgpu');
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = adapter?.info;
process.stdout.write(JSON.stringify(adapter && {
  description: [i.description, i.vendor, i.architecture].filter(Boolean).join(' / ') || 'unnamed adapter',
  software: i.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i.test(i.architecture + ' ' + i.description + ' ' + i.device),
  maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  maxBufferSize: adapter.limits.maxBufferSize,
}));
process.exit(0);`;

/**
 * Asks Dawn (the `webgpu` package: the same Dawn ONNX Runtime embeds) for the high-performance adapter.
 * Throws with the reason when there is none or the package is missing.
 */
export function probeWebGpuAdapter(): Promise<WebGpuAdapterInfo> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', PROBE], { timeout: 30_000, cwd: import.meta.dirname }, (error, stdout, stderr) => {
      if (error) {
        const missing = /Cannot find (package|module) 'webgpu'/.test(stderr);
        return reject(new Error(missing ? 'the webgpu package is not installed' : `probing WebGPU failed (${(stderr.trim().split('\n').at(-1) ?? error.message).slice(0, 200)})`));
      }
      const info = JSON.parse(stdout || 'null') as WebGpuAdapterInfo | null;
      if (!info) return reject(new Error('no WebGPU adapter (no Vulkan, Metal or Direct3D 12 driver that Dawn accepts)'));
      resolve(info);
    });
  });
}
