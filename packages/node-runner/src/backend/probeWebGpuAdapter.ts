/** What Dawn says of the adapter ONNX Runtime's WebGPU provider would get. */
export interface WebGpuAdapterInfo {
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe/lavapipe, WARP): correct, and far slower than the CPU engine. */
  software: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

const SOFTWARE_ARCHITECTURES = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i;

/**
 * Asks Dawn (the `webgpu` package: the same Dawn ONNX Runtime embeds) for the high-performance adapter.
 * Throws with the reason when there is none or the package is missing.
 */
export async function probeWebGpuAdapter(): Promise<WebGpuAdapterInfo> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    throw new Error(`the webgpu package did not load (${(error as Error).message.split('\n')[0]})`);
  }
  const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (no Vulkan, Metal or Direct3D 12 driver that Dawn accepts)');
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const description = [info.description, info.vendor, info.architecture].filter(Boolean).join(' / ') || 'unnamed adapter';
  return {
    description,
    software: info.isFallbackAdapter === true || SOFTWARE_ARCHITECTURES.test(`${info.architecture} ${info.description} ${info.device}`),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}
