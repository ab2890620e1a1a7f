import type { NormalizationName } from '../objective/normalization.ts';
import type { StyleLoss } from '../objective/objective.ts';
import type { Pooling, VggModelName } from '../vgg/architecture.ts';
import type { ConvWeightsByLayer } from '../weights/types.ts';

/** The three weighted loss terms of one evaluation and their sum. */
export interface LossValues {
  total: number;
  content: number;
  style: number;
  tv: number;
}

/**
 * An image as the network takes it: VGG input (BGR minus the ImageNet means, 0–255 range),
 * one image, NHWC, row-major: data.length = height · width · 3.
 */
export interface VggImage {
  height: number;
  width: number;
  data: Float32Array;
}

/** What the objective is, apart from the images: fixed for a whole run. */
export interface ObjectiveSettings {
  pooling: Pooling;
  normalization: NormalizationName;
  /** How the style term compares statistics: Gram matrices (absent: these) or the Wasserstein-2 distance of Gaussians (objective.ts). */
  styleLoss?: StyleLoss;
  contentLayers: string[];
  styleLayers: string[];
  /** A seamless pattern: circular padding and wrap-around TV (objective.ts); absent: Gatys et al.'s zero padding. */
  seamless?: boolean;
  /** One per style layer, normalised to sum 1. */
  styleLayerWeights: number[];
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
}

/** One evaluation: the loss terms and the gradient of their total with respect to the image. */
export interface Evaluation {
  terms: LossValues;
  /** Same layout as the image evaluated; owned by the caller. */
  gradient: Float32Array;
}

/**
 * The objective at one image size with its targets (content features, blended style Grams) already
 * computed: each evaluation sends only the combination image through the network.
 */
export interface ScaleObjective {
  readonly height: number;
  readonly width: number;
  /** How many styles were sent through the network for this scale's targets and how many came from the engine's cache (a batch's later contents). */
  readonly styleTargets?: { computed: number; reused: number };
  /** x: a VggImage's data at this size (not modified, not kept). */
  evaluate(x: Float32Array): Promise<Evaluation>;
  dispose(): void;
}

/** What the device holds: planScales sizes the tiles and the optimiser's history to it. */
export interface EngineLimits {
  /** Memory a run may use in all (host and device), bytes. */
  memoryBytes?: number;
  /** The largest single tensor (a GPU's storage buffer binding), bytes. */
  maxTensorBytes?: number;
}

/** One style of a run at one scale. */
export interface ScaleStyle {
  image: VggImage;
  /** Blend weight, ≥ 0. */
  weight: number;
  /** Where it paints: 0–1 per pixel of the content (content.height · content.width, row-major); absent: everywhere. */
  mask?: Float32Array;
}

/** What evaluates the objective: ONNX Runtime (CPU, WebGPU, …) or TensorFlow.js. */
export interface Engine {
  /** The backend name users see and pick with --backend: 'onnx-cpu', 'onnx-webgpu', 'wasm', 'cpu', … */
  readonly name: string;
  /**
   * The library and version that computes it ('onnxruntime-node 1.30.0'), as the host's version check returns it
   * (checkLibraryVersion): a checkpoint records it, and a run on another version refuses the checkpoint.
   */
  readonly runtime?: string;
  readonly model: VggModelName;
  /** Conv layers whose weights are present, in network order. */
  readonly availableLayers: readonly string[];
  readonly limits: EngineLimits;
  /** Throws a PasticheInputError naming the field, the layer and the layers present if any layer is missing. */
  checkLayers(layers: readonly string[], field?: string): void;
  /**
   * Computes the targets once (content features at the content layers of `content`; each style's Grams at
   * the style layers, blended by weight where styles share a region) and returns the objective at the
   * content's size. With `tileSize`, images larger than it are evaluated in tiles of that interior side
   * (objective/tiledObjective.ts): the same objective in the memory of one tile. `contentMask`: how strongly
   * the content is kept at each pixel (see ScaleStyle's mask for the layout); absent: everywhere fully.
   * `contentPerTile` (tiled only): the tiles compute their content targets from the content's pixels in each
   * pass instead of the whole image's being kept (tiledObjective.ts's TiledContent); not for a seamless
   * pattern, whose tiles read the periodic image: theirs would be the periodic content's features, not the content's.
   */
  prepareScale(settings: ObjectiveSettings, content: VggImage, styles: ScaleStyle[], options?: { tileSize?: number; contentMask?: Float32Array; contentPerTile?: boolean }): Promise<ScaleObjective>;
  dispose(): void;
}

/** Makes an engine for one model from its conv weights (a prefix of the network may be missing). */
export type CreateEngine = (model: VggModelName, weights: ConvWeightsByLayer) => Engine | Promise<Engine>;
