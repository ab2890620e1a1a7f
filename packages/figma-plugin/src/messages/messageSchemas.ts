import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EvaluationCalibrationSchema } from '@pastiche/web-bridge/wire';
import { PluginSettingsSchema } from '../settings/pluginSettingsSchema.ts';

/**
 * Every message between the plugin's main code (the Figma sandbox) and its UI (the iframe), one schema
 * each. Both ends validate what they receive: the two halves are built separately and could be stale
 * with respect to each other, and a bad message should name its field rather than crash a handler.
 */

/** Longest layer name the selection message carries (longer ones are shortened by the main code). */
export const LAYER_NAME_MAX = 1000;
const NodeId = Type.String({ minLength: 1, maxLength: 200 });
const RunId = Type.Integer({ minimum: 1 });
const Png = Type.Uint8Array({ minByteLength: 8 });
const Side = Type.Integer({ minimum: 1, maximum: 65_536 });
const Weight = Type.Number({ minimum: 0, maximum: 1e6 });
const StyleRole = Type.Object({ id: NodeId, weight: Weight }, { additionalProperties: false });

/** Style presets in a run, with their blend weights (the same scale as the layers'): stored on results too. */
export const PresetRolesSchema = Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), weight: Weight }, { additionalProperties: false }), { maxItems: 16 });

/** The result layer a "Refine" starts from. */
export const RefineSchema = Type.Object({ id: NodeId, name: Type.String({ maxLength: LAYER_NAME_MAX }) }, { additionalProperties: false });

/** Who plays which part: set by the user in the UI, stored on results so that "Stylize again" restores it. */
export const RolesSchema = Type.Object({ contentId: NodeId, styles: Type.Array(StyleRole, { maxItems: 16 }) }, { additionalProperties: false });

/** The roles of one run: as RolesSchema, or no content for a texture painted from the styles alone. */
export const RunRolesSchema = Type.Object({ contentId: Type.Optional(NodeId), styles: RolesSchema.properties.styles }, { additionalProperties: false });

export const SelectedNodeSchema = Type.Object(
  { id: NodeId, name: Type.String({ maxLength: LAYER_NAME_MAX }), kind: Type.String({ maxLength: 40 }), width: Type.Number({ minimum: 0 }), height: Type.Number({ minimum: 0 }),
    shape: Type.Boolean({ description: 'a plain shape (vector, ellipse, rectangle without an image…): a region rather than a style' }) },
  { additionalProperties: false },
);

export const ErrorCodeSchema = Type.Union(
  ['nothing-selected', 'no-style', 'node-missing', 'node-too-large', 'export-failed', 'place-failed', 'bad-message', 'no-answer', 'no-region', 'region-outside'].map((c) => Type.Literal(c)),
);

/** A piece of the result: one image rectangle. Results wider or taller than Figma's 4096 px image limit come in several. */
export const TileSchema = Type.Object(
  { png: Png, x: Type.Integer({ minimum: 0 }), y: Type.Integer({ minimum: 0 }), width: Side, height: Side },
  { additionalProperties: false },
);

/** One layer of a style's region, exported alone (its alpha is what counts), and where it sits on the content, in `canvas` pixels. */
export const RegionPieceSchema = Type.Object(
  { png: Png, x: Type.Number(), y: Type.Number(), width: Type.Number({ exclusiveMinimum: 0 }), height: Type.Number({ exclusiveMinimum: 0 }) },
  { additionalProperties: false },
);

/** A style's region at the content's size and position: the canvas is the content as exported, the pieces the region's layers on it. */
export const RegionImageSchema = Type.Object(
  { canvas: Type.Object({ width: Side, height: Side }, { additionalProperties: false }), pieces: Type.Array(RegionPieceSchema, { minItems: 1, maxItems: 16 }) },
  { additionalProperties: false },
);

/** Which layers make a style's region. */
export const StyleRegionSchema = Type.Object({ styleId: NodeId, nodeIds: Type.Array(NodeId, { minItems: 1, maxItems: 16 }) }, { additionalProperties: false });

/** What the main code sends to the UI. */
export const MainToUiMessages = {
  /** First message: what the user chose last time (or what a result remembers, on "Stylize again"). */
  'plugin-started': Type.Object(
    {
      settings: PluginSettingsSchema,
      runnerToken: Type.String({ maxLength: 256 }),
      relaunch: Type.Union([RolesSchema, Type.Null()]),
      /** The presets the result was made with (on "Stylize again" and "Refine"). */
      presets: Type.Optional(PresetRolesSchema),
      /** On "Refine": the result to start from. */
      refine: Type.Optional(RefineSchema),
      /** The in-page engine's speed as an earlier session measured it (absent: the UI times the engine). */
      inPageSpeed: Type.Optional(EvaluationCalibrationSchema),
    },
    { additionalProperties: false },
  ),
  /** The exportable part of the selection, in selection order; sent on every selectionchange. */
  'selection-changed': Type.Object(
    { nodes: Type.Array(SelectedNodeSchema), ignored: Type.Integer({ minimum: 0, description: 'selected layers that cannot be exported' }) },
    { additionalProperties: false },
  ),
  /** A small PNG of one selected node, sent after selection-changed. */
  'thumbnail-exported': Type.Object({ id: NodeId, png: Png }, { additionalProperties: false }),
  /** Answer to export-requested. */
  'images-exported': Type.Object(
    {
      runId: RunId,
      /** Absent for a texture (no content). */
      content: Type.Optional(Type.Object({ id: NodeId, name: Type.String(), png: Png }, { additionalProperties: false })),
      styles: Type.Array(Type.Object({ id: NodeId, name: Type.String(), png: Png, region: Type.Optional(RegionImageSchema) }, { additionalProperties: false }), { minItems: 1 }),
      /** The refined result's pixels, at the content's export size. */
      init: Type.Optional(Png),
    },
    { additionalProperties: false },
  ),
  /** Answer to region-requested: the region as it will be used, at the requested size (the panel shows it as a thumbnail). */
  'region-exported': Type.Object({ runId: RunId, region: RegionImageSchema }, { additionalProperties: false }),
  /** Answer to result-ready: the new layer is in the document. */
  'result-placed': Type.Object({ runId: RunId, nodeId: NodeId, name: Type.String(), tiles: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  /** Answer to export-requested or result-ready when the main code could not do it; the document is unchanged. */
  'request-failed': Type.Object({ runId: Type.Integer({ minimum: 0 }), code: ErrorCodeSchema, message: Type.String() }, { additionalProperties: false }),
} satisfies Record<string, TSchema>;

/** What the UI sends to the main code. */
export const UiToMainMessages = {
  /** The UI is listening: the main code answers with plugin-started and selection-changed. */
  'ui-ready': Type.Object({}, { additionalProperties: false }),
  'settings-changed': Type.Object({ settings: PluginSettingsSchema }, { additionalProperties: false }),
  'runner-token-changed': Type.Object({ token: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
  /** The in-page engine timed itself: kept in clientStorage, so that the next sessions need not time it again. */
  'in-page-speed-measured': Type.Object({ calibration: EvaluationCalibrationSchema }, { additionalProperties: false }),
  /** Export the content at the output size and the styles at the size the engine will use them. */
  'export-requested': Type.Object(
    { runId: RunId, roles: RunRolesSchema, contentSide: Side, styleSide: Side, regions: Type.Array(StyleRegionSchema, { maxItems: 16 }), initId: Type.Optional(NodeId) },
    { additionalProperties: false },
  ),
  /** Export these layers as a region of the content, the content's longest side `contentSide` px (for the panel's thumbnail). */
  'region-requested': Type.Object({ runId: RunId, contentId: NodeId, nodeIds: StyleRegionSchema.properties.nodeIds, contentSide: Side }, { additionalProperties: false }),
  /** The painted result, cut into tiles: place it beside the content (a texture: beside its first style layer, at its own size). */
  'result-ready': Type.Object(
    {
      runId: RunId,
      roles: RunRolesSchema,
      /** The presets blended in, with their titles (the result's name lists them). */
      presets: Type.Optional(Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ maxLength: 200 }), weight: Weight }, { additionalProperties: false }), { maxItems: 16 })),
      settings: PluginSettingsSchema,
      width: Side,
      height: Side,
      tiles: Type.Array(TileSchema, { minItems: 1, maxItems: 64 }),
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TSchema>;

export type MainToUiName = keyof typeof MainToUiMessages;
export type UiToMainName = keyof typeof UiToMainMessages;
export type MainToUiPayload<N extends MainToUiName> = Static<(typeof MainToUiMessages)[N]>;
export type UiToMainPayload<N extends UiToMainName> = Static<(typeof UiToMainMessages)[N]>;
export type Roles = Static<typeof RolesSchema>;
export type RunRoles = Static<typeof RunRolesSchema>;
export type SelectedNode = Static<typeof SelectedNodeSchema>;
export type ErrorCode = Static<typeof ErrorCodeSchema>;
export type Tile = Static<typeof TileSchema>;
export type RegionImage = Static<typeof RegionImageSchema>;
export type StyleRegion = Static<typeof StyleRegionSchema>;
