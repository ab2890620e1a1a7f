import type {
  BaseNode,
  ClientStorageAPI,
  DocumentNode,
  ExportSettingsImage,
  FrameNode,
  Image,
  PageNode,
  PluginAPI,
  RectangleNode,
  SceneNode,
  UIAPI,
} from '@figma/plugin-typings/plugin-api-standalone.js';

/**
 * The part of Figma's plugin API this plugin uses, spelled with the official typings. `main.ts` passes the
 * real `figma` where a PluginHost is expected (so the compiler proves the real API has all of it) and the
 * tests' fake host `implements PluginHost` (so the fake has all of it too): neither can drift from the
 * other without a type error. Node references are narrowed to HostNode and friends for the same reason.
 */
export interface PluginHost extends Pick<PluginAPI, 'showUI' | 'notify' | 'command'> {
  readonly ui: Pick<UIAPI, 'postMessage' | 'onmessage'>;
  readonly clientStorage: Pick<ClientStorageAPI, 'getAsync' | 'setAsync'>;
  readonly currentPage: HostPage;
  /** The file itself: its relaunch data puts the `open` button in the panel when nothing is selected. */
  readonly root: Pick<DocumentNode, 'setRelaunchData'>;
  readonly viewport: { scrollAndZoomIntoView(nodes: ReadonlyArray<HostBaseNode>): void };
  on(type: 'selectionchange', callback: () => void): void;
  createImage(data: Uint8Array): Pick<Image, 'hash'>;
  createRectangle(): HostRectangle;
  createFrame(): HostFrame;
  group(nodes: ReadonlyArray<HostBaseNode>, parent: HostParent, index?: number): HostNode;
  getNodeByIdAsync(id: string): Promise<HostBaseNode | null>;
}

/** Any node, before we know it is on the canvas. */
export type HostBaseNode = Pick<BaseNode, 'id' | 'name' | 'type' | 'removed'>;

/** A node that can hold others: the page, a section, a frame, a group… */
export interface HostParent extends HostBaseNode {
  readonly parent: HostParent | null;
  readonly children: ReadonlyArray<HostNode>;
  insertChild(index: number, child: HostNode): void;
}

/** A layer on the canvas. */
export interface HostNode
  extends HostBaseNode,
    Pick<SceneNode, 'x' | 'y' | 'width' | 'height' | 'absoluteTransform' | 'absoluteBoundingBox' | 'getSharedPluginData' | 'setSharedPluginData' | 'setRelaunchData' | 'remove'> {
  readonly parent: HostParent | null;
  exportAsync(settings: ExportSettingsImage): Promise<Uint8Array>;
}

export interface HostRectangle extends HostNode, Pick<RectangleNode, 'resize' | 'fills'> {}

export interface HostFrame extends HostNode, Pick<FrameNode, 'resize' | 'fills'> {}

/** Under `documentAccess: dynamic-page`, a page other than the current one has no children until loadAsync(). */
export interface HostPage extends HostParent, Pick<PageNode, 'loadAsync'> {
  selection: ReadonlyArray<HostNode>;
}
