import type { StylizeOptions } from '@pastiche/core';
import type { JobProgress } from './wire/jobSchemas.ts';

/** An image file as the host exported it: PNG, JPEG or WebP bytes. */
export interface EncodedImage {
  bytes: Uint8Array;
  mime?: string;
}

export interface BridgeJob {
  content: EncodedImage;
  /** How strongly the content is kept at each pixel: a mask image as StyleInput.mask reads it (luma × alpha). */
  contentMask?: EncodedImage;
  /** Where the run starts when options.init is 'image': a result layer's pixels, to refine it. */
  initImage?: EncodedImage;
  /** `mask`: where the style paints (a region; absent: everywhere). */
  styles: Array<{ image: EncodedImage; weight: number; mask?: EncodedImage }>;
  options: StylizeOptions;
  /** A preview every `every` evaluations (0 = none), at most `maxSide` px; default every 10, 256 px (the runner's defaults). */
  preview?: { every?: number; maxSide?: number };
}

/** Progress as the runner sends it (wire/jobSchemas.ts), with a small PNG of the image as it stands now and then. */
export type BridgeProgress = JobProgress & { preview?: EncodedImage };

export interface BridgeResult {
  png: Uint8Array;
  width: number;
  height: number;
  stats: { evaluations: number; elapsedMs: number; backend: string; engine: EngineKind; seed: number };
}

export type EngineKind = 'in-page' | 'runner';

export interface StylizeCallOptions {
  onProgress?(progress: BridgeProgress): void;
  /** Aborting rejects the call with an AbortError at once; the engine stops at its next evaluation. */
  signal?: AbortSignal;
}

/** Where a host's run paints: in the page (a worker) or on the runner. (Core's Engine is what evaluates the objective.) */
export interface BridgeEngine {
  readonly kind: EngineKind;
  /** Where and on what it paints, for the UI: "in this page, WebGL", "on the runner at 127.0.0.1:7878, onnx-cuda". */
  describe(): string;
  stylize(job: BridgeJob, opts?: StylizeCallOptions): Promise<BridgeResult>;
  dispose(): void;
}
