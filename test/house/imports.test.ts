import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const packagesDir = path.resolve(import.meta.dirname, '../../packages');

/** Every TypeScript file under `dir` (relative to it, node_modules left out), and what its relative imports name, relative to `dir` (type-only ones too). */
function relativeImports(dir: string): Map<string, string[]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.split(path.sep).includes('node_modules'));
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)|(?:^|\n)import\s+'(\.[^']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    imports.set(file, specifiers.map((s) => path.normalize(path.join(path.dirname(file), s))));
  }
  return imports;
}

/** Every TypeScript file under `dir`, and the files of the same tree its relative imports name. */
function importGraph(dir: string): Map<string, string[]> {
  const imports = relativeImports(dir);
  return new Map([...imports].map(([file, targets]) => [file, targets.filter((t) => imports.has(t))]));
}

/** The groups of files that import each other round a circle (Tarjan's strongly connected components of two or more). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) === index.get(file)) {
      const group = stack.splice(stack.indexOf(file));
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('imports', () => {
  for (const pkg of readdirSync(packagesDir)) {
    it(`${pkg}: no import circles in src/`, () => {
      assert.deepEqual(circles(importGraph(path.join(packagesDir, pkg, 'src'))), []);
    });
  }

  it("each package imports by path only its own files, tests included (other packages through their public exports); the cross-package suites in test/ likewise", () => {
    const outside = [...readdirSync(packagesDir).map((pkg) => path.join(packagesDir, pkg)), path.resolve(packagesDir, '../test')].flatMap((root) =>
      [...relativeImports(root)].flatMap(([file, targets]) => targets.filter((t) => t.startsWith('..')).map((t) => `${path.relative(packagesDir, path.join(root, file))} → ${t}`)),
    );
    assert.deepEqual(outside, []);
  });

  it('node-runner: each folder imports only from the layers below it (commands → runner → pool → what both queues share → engine processes → engines, weights, checkpoints → images → errors)', () => {
    const layers = [['index.ts', 'cli'], ['serve'], ['pool'], ['queue'], ['engine'], ['backend', 'weights', 'checkpoint'], ['images'], ['errors']];
    const layerOf = (file: string) => layers.findIndex((names) => names.includes(file.split(path.sep)[0]));
    const graph = importGraph(path.join(packagesDir, 'node-runner/src'));
    const upward = [...graph].flatMap(([file, targets]) => targets.filter((t) => layerOf(t) < layerOf(file) || layerOf(t) === -1).map((t) => `${file} → ${t}`));
    assert.deepEqual(upward, []);
    assert.deepEqual([...graph.keys()].filter((f) => layerOf(f) === -1), [], 'every folder has its layer');
  });
});
