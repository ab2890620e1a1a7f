/** The part of WebGPU's adapter the engine reads (TypeScript's DOM library lacks `info` and `limits`). */
export interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly limits: { maxStorageBufferBindingSize: number };
}

export interface WebGpuAdapter {
  adapter: GpuAdapterLike;
  /** "nvidia / ampere", "google / swiftshader". */
  description: string;
  /** A software rasteriser: correct, and slower than painting on the CPU. */
  software: boolean;
}

/** The high-performance WebGPU adapter of this worker, or why there is none. */
export async function findWebGpuAdapter(): Promise<WebGpuAdapter> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(options?: object): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) throw new Error('WebGPU unavailable (no navigator.gpu)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU unavailable (no adapter: blocklisted or no GPU)');
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unnamed adapter';
  // Chromium marks SwiftShader as the fallback adapter; Mesa's llvmpipe (lavapipe) and WARP only say so by name.
  const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i.test(description);
  return { adapter, description, software };
}
