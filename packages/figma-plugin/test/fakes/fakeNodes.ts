import type { ExportSettingsImage, Paint, PluginAPI, Transform } from '@figma/plugin-typings/plugin-api-standalone.js';
import type { HostFrame, HostNode, HostPage, HostParent, HostRectangle } from '../../src/main/host/PluginHost.ts';

/** Renders a node's pixels at a size: PNG bytes. Node tests encode flat colours; the browser harness draws paintings. */
export type Exporter = (node: FakeNode, width: number, height: number) => Promise<Uint8Array>;

type NodeType = HostNode['type'];
let nextId = 1;

/**
 * A canvas layer that behaves like Figma's where the plugin can tell: ids, parents, coordinates relative to
 * the nearest non-group ancestor, exports at a WIDTH/HEIGHT/SCALE constraint, plugin and relaunch data.
 */
export class FakeNode implements HostNode {
  readonly id = `${nextId}:${nextId++}`;
  parent: FakeParent | null = null;
  removed = false;
  x = 0;
  y = 0;
  readonly pluginData = new Map<string, string>();
  relaunchData: Record<string, string> = {};
  /** Every export this node did, for assertions. */
  readonly exports: ExportSettingsImage[] = [];
  exportError?: Error;

  constructor(
    readonly type: NodeType,
    public name: string,
    public width: number,
    public height: number,
    readonly exporter?: Exporter,
  ) {}

  get absoluteTransform(): Transform {
    let frame = this.parent;
    while (frame && (frame.type === 'GROUP' || frame.type === 'BOOLEAN_OPERATION')) frame = frame.parent;
    const origin = frame && frame instanceof FakeNode ? frame.absoluteTransform : [[1, 0, 0], [0, 1, 0]];
    return [
      [1, 0, origin[0][2] + this.x],
      [0, 1, origin[1][2] + this.y],
    ];
  }

  /** No rotation is modelled: the box is the layer's position on the page and its size. */
  get absoluteBoundingBox() {
    const [[, , x], [, , y]] = this.absoluteTransform;
    return { x, y, width: this.width, height: this.height };
  }

  async exportAsync(settings: ExportSettingsImage): Promise<Uint8Array> {
    this.exports.push(settings);
    if (this.exportError) throw this.exportError;
    if (!this.exporter) throw new Error('this fake layer has no pixels');
    const { type, value } = settings.constraint ?? { type: 'SCALE', value: 1 };
    const scale = type === 'WIDTH' ? value / this.width : type === 'HEIGHT' ? value / this.height : value;
    return this.exporter(this, Math.max(1, Math.round(this.width * scale)), Math.max(1, Math.round(this.height * scale)));
  }

  getSharedPluginData(namespace: string, key: string): string {
    return this.pluginData.get(`${namespace}/${key}`) ?? '';
  }
  setSharedPluginData(namespace: string, key: string, value: string): void {
    if (!/^[\w.]{3,}$/.test(namespace)) throw new Error(`Invalid namespace ${namespace}`);
    if (value.length > 100_000) throw new Error('Shared plugin data over 100 kB');
    this.pluginData.set(`${namespace}/${key}`, value);
  }
  setRelaunchData(data: { [command: string]: string }): void {
    this.relaunchData = { ...data };
  }
  remove(): void {
    if (this.removed) throw new Error('The node has been removed');
    this.parent?.detach(this);
    this.removed = true;
  }
}

/** What FakeParent needs from children. */
export interface FakeParent extends HostParent {
  readonly parent: FakeParent | null;
  readonly children: FakeNode[];
  detach(child: FakeNode): void;
}

/** Puts a child in a parent at an index, as Figma's insertChild does (test set-up uses it directly to build instances). */
export function insertInto(parent: FakeParent & { children: FakeNode[] }, index: number, child: FakeNode) {
  if (child.removed) throw new Error('The node has been removed');
  for (let p: FakeParent | null = parent; p; p = p.parent) if (p === (child as unknown)) throw new Error('Cannot move a node into itself');
  child.parent?.detach(child);
  parent.children.splice(Math.max(0, Math.min(index, parent.children.length)), 0, child);
  child.parent = parent;
}

/** Frames, groups, sections, components, instances: layers with children. */
export class FakeContainer extends FakeNode implements FakeParent {
  readonly children: FakeNode[] = [];
  layoutMode: 'NONE' | 'HORIZONTAL' | 'VERTICAL' = 'NONE';
  clipsContent = true;

  insertChild(index: number, child: FakeNode): void {
    if (this.type === 'INSTANCE' || this.parentInstance()) throw new Error('Cannot move node. New parent is an instance or is inside of an instance');
    insertInto(this, index, child);
  }
  appendChild(child: FakeNode): void {
    this.insertChild(this.children.length, child);
  }
  detach(child: FakeNode): void {
    this.children.splice(this.children.indexOf(child), 1);
    child.parent = null;
  }
  private parentInstance(): boolean {
    for (let p = this.parent; p; p = p.parent) if (p.type === 'INSTANCE') return true;
    return false;
  }
}

export class FakeRectangle extends FakeNode implements HostRectangle {
  fills: ReadonlyArray<Paint> | PluginAPI['mixed'] = [{ type: 'SOLID', color: { r: 0.85, g: 0.85, b: 0.85 } }];

  constructor(name: string, width: number, height: number, exporter?: Exporter) {
    super('RECTANGLE', name, width, height, exporter);
  }
  resize(width: number, height: number): void {
    if (!(width >= 0.01 && height >= 0.01)) throw new Error(`Invalid size ${width} × ${height}`);
    this.width = width;
    this.height = height;
  }
}

/** A frame the plugin creates: a container with fills, as Figma's frames have. */
export class FakeFrame extends FakeContainer implements HostFrame {
  fills: ReadonlyArray<Paint> | PluginAPI['mixed'] = [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }];

  constructor(name: string, width: number, height: number) {
    super('FRAME', name, width, height);
  }
  resize(width: number, height: number): void {
    if (!(width >= 0.01 && height >= 0.01)) throw new Error(`Invalid size ${width} × ${height}`);
    this.width = width;
    this.height = height;
  }
}

export class FakePage implements HostPage, FakeParent {
  readonly id = `0:${nextId++}`;
  readonly type = 'PAGE';
  readonly parent = null;
  readonly removed = false;
  /** Under dynamic-page, only the current page and pages given loadAsync() show their children. */
  loaded = true;
  private readonly kids: FakeNode[] = [];
  private selected: FakeNode[] = [];

  get children(): FakeNode[] {
    if (!this.loaded) throw new Error(`Cannot access children on a page that has not been explicitly loaded. Remember to await loadAsync() (page ${this.name})`);
    return this.kids;
  }
  /** Every layer, loaded or not (getNodeByIdAsync finds nodes on any page). */
  get allChildren(): FakeNode[] {
    return this.kids;
  }
  async loadAsync(): Promise<void> {
    this.loaded = true;
  }

  constructor(
    public name: string,
    private readonly onSelectionChange: () => void,
  ) {}

  get selection(): ReadonlyArray<FakeNode> {
    return this.selected.filter((n) => !n.removed);
  }
  set selection(nodes: ReadonlyArray<HostNode>) {
    this.selected = nodes.map((n) => {
      if (!(n instanceof FakeNode) || n.removed) throw new Error('selection: expected nodes of this document');
      return n;
    });
    this.onSelectionChange();
  }
  insertChild(index: number, child: FakeNode): void {
    insertInto(this, index, child);
  }
  appendChild(child: FakeNode): void {
    insertInto(this, this.children.length, child);
  }
  detach(child: FakeNode): void {
    this.children.splice(this.children.indexOf(child), 1);
    child.parent = null;
  }
}
