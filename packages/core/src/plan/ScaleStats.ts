/** One scale as it ran. */
export interface ScaleStats {
  width: number;
  height: number;
  evaluations: number;
  elapsedMs: number;
  stopReason: string;
  tiles: number;
  tileSize?: number;
  tileInterior?: { height: number; width: number };
  contentPerTile?: boolean;
  lbfgsHistory: number;
  /** Styles sent through the network for this scale's targets, and styles whose targets the engine had kept (a batch's later contents). */
  styleTargets?: { computed: number; reused: number };
}
