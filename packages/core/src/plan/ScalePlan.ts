/** How one scale runs: untiled, or in tiles of `tileSize`, and what it should hold at its peak. */
export interface ScalePlan {
  height: number;
  width: number;
  /** The tile side asked of the engine (prepareScale's tileSize); undefined: untiled. */
  tileSize?: number;
  /** The interior of a tile as laid out (sides evened out, at most tileSize), for reports. */
  tileInterior?: { height: number; width: number };
  tiles: number;
  /**
   * The tiles compute their content targets from the content under them in each pass (prepareScale's
   * contentPerTile) rather than the whole image's being kept: for scales whose targets alone would not fit.
   */
  contentPerTile?: boolean;
  /** L-BFGS pairs kept (0 with Adam). */
  lbfgsHistory: number;
  /** Estimated peak: the engine's evaluation plus the optimiser's vectors. */
  peakBytes: number;
}
