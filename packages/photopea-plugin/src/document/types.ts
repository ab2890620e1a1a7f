/** Where a layer sits: indices from the document down, 0 = the top of each list (as Photoshop's `layers`). */
export type LayerPath = number[];

/** A layer as scripts address it: its path, and its name to check that the path still leads to it. */
export interface LayerRef {
  path: LayerPath;
  name: string;
}

/** Pixels, document coordinates: left, top, right, bottom (right and bottom exclusive). */
export type Bounds = [number, number, number, number];

/** One row of the flattened layer tree. */
export interface LayerInfo extends LayerRef {
  /** A group (LayerSet): exported with its contents. */
  group: boolean;
  /** The layer's own eye. */
  visible: boolean;
  /** Its eye and every enclosing group's: whether it shows in the document now. */
  shown: boolean;
  bounds: Bounds;
  /** Names of the enclosing groups, outermost first. */
  parents: string[];
}

export interface DocumentInfo {
  name: string;
  width: number;
  height: number;
  layers: LayerInfo[];
  /** The active layer, if any. */
  active: LayerRef | null;
}
