/**
 * A small stand-in for Photopea's scripting DOM and its postMessage protocol, for tests (Node and the
 * browser): exactly what Pastiche's script templates use, with the behaviour the Photopea docs and issues
 * describe — scripts run in order and each ends with "done"; saveToOE sends an ArrayBuffer before that
 * "done"; app.open(url, null, true) places the image into the current document above the active layer,
 * after "done" (photopea/photopea#6137); doc.artLayers.add() adds an empty layer above the active one, and
 * selection.fill(SolidColor) fills the (rectangular) selection into the active layer. Pixels are kept per layer; how a document is drawn into a PNG
 * and how an image URL is decoded are given by the host (a canvas in the browser, a stub in Node).
 */

export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface FakeLayerSpec {
  name: string;
  visible?: boolean;
  /** ArtLayer: pixels drawn at `left`, `top`, scaled to `width` × `height` (default the raster's size). */
  raster?: Raster;
  left?: number;
  top?: number;
  width?: number;
  height?: number;
  /** LayerSet: its layers, top first. */
  layers?: FakeLayerSpec[];
}

/** What shows in a document at one moment: its size and its visible pixel layers, bottom first. */
export interface Picture {
  width: number;
  height: number;
  layers: Array<{ name: string; raster: Raster; rect: { left: number; top: number; width: number; height: number } }>;
}

export interface FakeHostOptions {
  /** Posts a message to the plugin. */
  send(message: unknown): void;
  /** The document as saveToOE would encode it. */
  render(picture: Picture): Promise<ArrayBuffer>;
  decode(url: string): Promise<Raster>;
  /** How long after "done" a placed image arrives. */
  placeDelayMs?: number;
  /** silent: never answers; fail-export: saveToOE throws; fail-open: app.open throws. */
  mode?: 'normal' | 'silent' | 'fail-export' | 'fail-open';
}

/** Everything that changed the document model, in order: the test's proof of what a script touched. */
export type FakeEvent =
  | { type: 'visible'; layer: string; visible: boolean }
  | { type: 'active'; layer: string | null }
  | { type: 'export'; shown: string[] }
  | { type: 'placed'; layer: string }
  | { type: 'move' | 'resize' | 'translate' | 'rename' | 'deselect' | 'added' | 'removed' | 'fill'; layer: string };

const unit = (value: number) => ({ value, type: 'px' });

export class FakeLayer {
  parent: FakeLayer | FakeDocument;
  readonly typename: 'ArtLayer' | 'LayerSet';
  layers: FakeLayer[] | undefined;
  raster: Raster | undefined;
  rect = { left: 0, top: 0, width: 0, height: 0 };
  #name: string;
  #visible: boolean;

  constructor(
    readonly doc: FakeDocument,
    spec: FakeLayerSpec,
    parent: FakeLayer | FakeDocument,
  ) {
    this.parent = parent;
    this.#name = spec.name;
    this.#visible = spec.visible ?? true;
    this.typename = spec.layers ? 'LayerSet' : 'ArtLayer';
    if (spec.layers) this.layers = spec.layers.map((child) => new FakeLayer(doc, child, this));
    if (spec.raster) {
      this.raster = spec.raster;
      this.rect = { left: spec.left ?? 0, top: spec.top ?? 0, width: spec.width ?? spec.raster.width, height: spec.height ?? spec.raster.height };
    }
  }

  get name() {
    return this.#name;
  }
  set name(value: string) {
    this.#name = String(value);
    this.doc.log({ type: 'rename', layer: this.#name });
  }
  get visible() {
    return this.#visible;
  }
  set visible(value: boolean) {
    this.#visible = Boolean(value);
    this.doc.log({ type: 'visible', layer: this.#name, visible: this.#visible });
  }
  /** Photoshop gives unit values; a group's bounds are its contents'. */
  get bounds() {
    const [l, t, r, b] = this.box();
    return [unit(l), unit(t), unit(r), unit(b)];
  }
  box(): [number, number, number, number] {
    if (this.layers) {
      const boxes = this.layers.map((c) => c.box()).filter(([l, t, r, b]) => r > l && b > t);
      if (!boxes.length) return [0, 0, 0, 0];
      return [Math.min(...boxes.map((x) => x[0])), Math.min(...boxes.map((x) => x[1])), Math.max(...boxes.map((x) => x[2])), Math.max(...boxes.map((x) => x[3]))];
    }
    const { left, top, width, height } = this.rect;
    return [left, top, left + width, top + height];
  }
  resize(xPercent: number, yPercent: number, anchor: string) {
    if (anchor !== AnchorPosition.TOPLEFT) throw new Error(`fake Photopea: resize anchor ${anchor} not modelled`);
    this.rect.width = Math.round((this.rect.width * xPercent) / 100);
    this.rect.height = Math.round((this.rect.height * yPercent) / 100);
    this.doc.log({ type: 'resize', layer: this.#name });
  }
  translate(dx: number, dy: number) {
    this.rect.left += Math.round(Number(dx));
    this.rect.top += Math.round(Number(dy));
    this.doc.log({ type: 'translate', layer: this.#name });
  }
  move(relative: FakeLayer, placement: string) {
    const siblings = this.parent.layers!;
    siblings.splice(siblings.indexOf(this), 1);
    if (placement === ElementPlacement.INSIDE) {
      this.parent = relative;
      relative.layers!.unshift(this);
    } else {
      const list = relative.parent.layers!;
      this.parent = relative.parent;
      list.splice(list.indexOf(relative) + (placement === ElementPlacement.PLACEAFTER ? 1 : 0), 0, this);
    }
    this.doc.log({ type: 'move', layer: this.#name });
  }
  remove() {
    const siblings = this.parent.layers!;
    siblings.splice(siblings.indexOf(this), 1);
    if (this.doc.activeLayer === this) this.doc.activeLayer = this.doc.layers[0] ?? null;
    this.doc.log({ type: 'removed', layer: this.#name });
  }
  /** Shown in the document: its eye and every enclosing group's. */
  shown(): boolean {
    return this.#visible && (this.parent instanceof FakeLayer ? this.parent.shown() : true);
  }
}

export class FakeDocument {
  layers: FakeLayer[];
  readonly events: FakeEvent[] = [];
  selection = {
    bounds: null as Array<{ value: number }> | null,
    deselect: () => ((this.selection.bounds = null), this.log({ type: 'deselect', layer: '' })),
    fill: (color: SolidColor) => {
      const layer = this.activeLayer;
      if (!this.selection.bounds || !layer?.raster) throw new Error('fake Photopea: fill needs a selection and an active pixel layer');
      const [left, top, right, bottom] = this.selection.bounds.map((b) => b.value);
      const { raster, rect } = layer;
      for (let y = Math.max(0, top - rect.top); y < Math.min(raster.height, bottom - rect.top); y++) {
        for (let x = Math.max(0, left - rect.left); x < Math.min(raster.width, right - rect.left); x++) raster.data.set([color.rgb.red, color.rgb.green, color.rgb.blue, 255], (y * raster.width + x) * 4);
      }
      this.log({ type: 'fill', layer: layer.name });
    },
  };
  /** Adds an empty (transparent) layer of the canvas's size above the active layer, in its group, and makes it active. */
  readonly artLayers = {
    add: () => {
      const anchor = this.activeLayer;
      const parent = anchor?.parent ?? this;
      const layer = new FakeLayer(this, { name: `Layer ${this.all().length + 1}`, raster: { width: this.width, height: this.height, data: new Uint8ClampedArray(this.width * this.height * 4) } }, parent);
      parent.layers!.splice(anchor ? parent.layers!.indexOf(anchor) : 0, 0, layer);
      this.log({ type: 'added', layer: layer.name });
      this.activeLayer = layer;
      return layer;
    },
  };
  #active: FakeLayer | null = null;

  constructor(
    readonly host: FakeHost,
    public name: string,
    public width: number,
    public height: number,
    layers: FakeLayerSpec[],
    activePath: number[] = [0],
  ) {
    this.layers = layers.map((spec) => new FakeLayer(this, spec, this));
    this.#active = this.at(activePath) ?? null;
  }

  get activeLayer() {
    return this.#active;
  }
  set activeLayer(layer: FakeLayer | null) {
    this.#active = layer;
    this.log({ type: 'active', layer: layer?.name ?? null });
  }
  saveToOE(format: string) {
    if (this.host.options.mode === 'fail-export') throw new Error('Photopea ran out of memory while exporting');
    if (format !== 'png') throw new Error(`fake Photopea: saveToOE(${format}) not modelled`);
    this.log({ type: 'export', shown: this.all().filter((l) => l.typename === 'ArtLayer' && l.shown()).map((l) => l.name) });
    // The picture is taken now (a script restores visibility right after), sent when encoded.
    this.host.pending.push(this.host.options.render(this.picture()).then((buffer) => this.host.options.send(buffer)));
  }
  log(event: FakeEvent) {
    this.events.push(event);
  }
  at(path: number[]): FakeLayer | undefined {
    let list: FakeLayer[] | undefined = this.layers;
    let layer: FakeLayer | undefined;
    for (const i of path) {
      layer = list?.[i];
      list = layer?.layers;
    }
    return layer;
  }
  all(list: FakeLayer[] = this.layers): FakeLayer[] {
    return list.flatMap((l) => [l, ...(l.layers ? this.all(l.layers) : [])]);
  }
  pathOf(target: FakeLayer | null): number[] | null {
    const search = (list: FakeLayer[], prefix: number[]): number[] | null => {
      for (const [i, l] of list.entries()) {
        if (l === target) return [...prefix, i];
        const found = l.layers && search(l.layers, [...prefix, i]);
        if (found) return found;
      }
      return null;
    };
    return target ? search(this.layers, []) : null;
  }
  picture(): Picture {
    const shown = this.all().filter((l) => l.typename === 'ArtLayer' && l.shown() && l.raster).reverse();
    return { width: this.width, height: this.height, layers: shown.map((l) => ({ name: l.name, raster: l.raster!, rect: { ...l.rect } })) };
  }
}

/** Photoshop's SolidColor, as far as a fill reads it. */
export class SolidColor {
  readonly rgb = { red: 0, green: 0, blue: 0 };
}

export const AnchorPosition = { TOPLEFT: 'TOPLEFT', MIDDLECENTER: 'MIDDLECENTER' } as const;
export const ElementPlacement = { PLACEBEFORE: 'PLACEBEFORE', PLACEAFTER: 'PLACEAFTER', INSIDE: 'INSIDE' } as const;

export class FakeHost {
  documents: FakeDocument[] = [];
  activeDocument: FakeDocument | null = null;
  pending: Promise<unknown>[] = [];
  /** Every script received, for tests that look at what was sent. */
  readonly scripts: string[] = [];
  /** Every image app.open placed: its type and the size it decoded to. */
  readonly placed: Array<{ mime: string; width: number; height: number; bytes: number }> = [];
  readonly app: Record<string, unknown>;

  constructor(readonly options: FakeHostOptions) {
    const host = this;
    this.app = {
      get activeDocument() {
        if (!host.activeDocument) throw new Error('no document');
        return host.activeDocument;
      },
      set activeDocument(doc: FakeDocument) {
        host.activeDocument = doc;
      },
      get documents() {
        return host.documents;
      },
      echoToOE: (text: unknown) => host.options.send(String(text)),
      open: (url: string, _as: unknown, asSmart: boolean) => host.open(url, asSmart),
    };
  }

  addDocument(name: string, width: number, height: number, layers: FakeLayerSpec[], activePath?: number[]) {
    const doc = new FakeDocument(this, name, width, height, layers, activePath);
    this.documents.push(doc);
    this.activeDocument = doc;
    return doc;
  }

  /** A message from the plugin: a script runs, then "done" once what it sent is out. */
  async receive(message: unknown): Promise<void> {
    if (this.options.mode === 'silent') return;
    if (typeof message !== 'string') throw new Error('fake Photopea: only scripts are modelled');
    this.scripts.push(message);
    try {
      new Function('app', 'AnchorPosition', 'ElementPlacement', 'SolidColor', message)(this.app, AnchorPosition, ElementPlacement, SolidColor);
    } catch (error) {
      console.error('fake Photopea: the script threw', error); // Photopea logs it and still says "done"
    }
    const pending = this.pending.splice(0);
    await Promise.all(pending);
    this.options.send('done');
  }

  private open(url: string, asSmart: boolean) {
    if (this.options.mode === 'fail-open') throw new Error('Photopea could not open the image');
    if (!asSmart) throw new Error('fake Photopea: only app.open(url, null, true) is modelled');
    const doc = this.activeDocument!;
    const anchor = doc.activeLayer;
    void (async () => {
      const raster = await this.options.decode(url);
      this.placed.push({ mime: /^data:([^;,]*)/.exec(url)?.[1] ?? '', width: raster.width, height: raster.height, bytes: url.length });
      await new Promise((resolve) => setTimeout(resolve, this.options.placeDelayMs ?? 150));
      const layer = new FakeLayer(doc, { name: 'Layer placed', raster }, anchor?.parent ?? doc);
      // Placed centred on the canvas, above the active layer, inside its group.
      layer.rect = { left: Math.round((doc.width - raster.width) / 2), top: Math.round((doc.height - raster.height) / 2), width: raster.width, height: raster.height };
      const list = layer.parent.layers!;
      list.splice(anchor ? list.indexOf(anchor) : 0, 0, layer);
      doc.log({ type: 'placed', layer: layer.name });
      doc.activeLayer = layer;
    })();
  }
}

/** The document as a test compares it: every layer's name, eye, bounds and pixels (hashed), and the active layer. */
export function describeDocument(doc: FakeDocument) {
  const layer = (l: FakeLayer): unknown => ({
    name: l.name,
    typename: l.typename,
    visible: l.visible,
    bounds: l.box(),
    pixels: l.raster ? hashRaster(l.raster) : null,
    ...(l.layers ? { layers: l.layers.map(layer) } : {}),
  });
  return { name: doc.name, width: doc.width, height: doc.height, active: doc.pathOf(doc.activeLayer), layers: doc.layers.map(layer) };
}

function hashRaster(raster: Raster): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < raster.data.length; i++) h = Math.imul(h ^ raster.data[i], 0x01000193);
  return `${raster.width}x${raster.height}:${(h >>> 0).toString(16)}`;
}
