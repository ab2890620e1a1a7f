import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addContent, contentToStyle } from '../../src/ui/state/addContent.ts';
import { excludeLayer } from '../../src/ui/state/excludeLayer.ts';
import { makeContent } from '../../src/ui/state/makeContent.ts';
import { DEFAULT_STYLE_WEIGHT, reconcileRoles } from '../../src/ui/state/reconcileRoles.ts';
import { restoreExcluded } from '../../src/ui/state/restoreExcluded.ts';
import { findRegionCandidates } from '../../src/ui/state/findRegionCandidates.ts';

const node = (id: string) => ({ id, name: id, kind: 'FRAME', width: 10, height: 10, shape: false });
const empty = { contentId: null, styles: [], excluded: [] };

test('the first selected layer is the content and the others are styles; roles survive selection changes', () => {
  let roles = reconcileRoles(empty, [node('a'), node('b'), node('c')], null);
  assert.deepEqual(roles, { contentId: 'a', styles: [{ id: 'b', weight: DEFAULT_STYLE_WEIGHT }, { id: 'c', weight: DEFAULT_STYLE_WEIGHT }], excluded: [] });
  roles = { ...roles, styles: [{ id: 'b', weight: 80 }, { id: 'c', weight: 20 }] };
  roles = reconcileRoles(roles, [node('a'), node('c'), node('d')], null);
  assert.deepEqual(roles.styles, [{ id: 'c', weight: 20 }, { id: 'd', weight: DEFAULT_STYLE_WEIGHT }]);
  roles = reconcileRoles(roles, [node('c'), node('d')], null);
  assert.equal(roles.contentId, 'c', 'without the content, the first selected layer takes over');
  assert.deepEqual(roles.styles.map((s) => s.id), ['d']);
});

test('any layer can be made the content; the old content takes its place as a style', () => {
  const roles = { contentId: 'a', styles: [{ id: 'b', weight: 10 }, { id: 'c', weight: 90 }], excluded: [] };
  assert.deepEqual(makeContent(roles, 'c'), { contentId: 'c', styles: [{ id: 'b', weight: 10 }, { id: 'a', weight: 90 }], excluded: [] });
});

test('a style can be left out and put back; left-out layers stay out while selected', () => {
  let roles = excludeLayer({ contentId: 'a', styles: [{ id: 'b', weight: 10 }, { id: 'c', weight: 90 }], excluded: [] }, 'b');
  assert.deepEqual(roles.styles.map((s) => s.id), ['c']);
  roles = reconcileRoles(roles, [node('a'), node('b'), node('c')], null);
  assert.deepEqual(roles.excluded, ['b']);
  assert.deepEqual(roles.styles.map((s) => s.id), ['c']);
  roles = restoreExcluded(roles);
  assert.deepEqual(roles.styles.map((s) => s.id), ['c', 'b']);
  assert.deepEqual(roles.excluded, []);
});

test('roles a result remembered win once their content is selected', () => {
  const remembered = { contentId: 'b', styles: [{ id: 'c', weight: 30 }, { id: 'gone', weight: 70 }] };
  assert.deepEqual(reconcileRoles(empty, [node('a'), node('b'), node('c')], remembered), { contentId: 'b', styles: [{ id: 'c', weight: 30 }], excluded: ['a'] });
  assert.equal(reconcileRoles(empty, [node('a')], remembered).contentId, 'a');
});

test('a newly selected plain shape is left out of the styles (it marks a region); once put back it stays a style', () => {
  const shape = { ...node('s'), kind: 'RECTANGLE', shape: true };
  let roles = reconcileRoles(empty, [node('a'), node('b'), shape], null);
  assert.deepEqual(roles, { contentId: 'a', styles: [{ id: 'b', weight: DEFAULT_STYLE_WEIGHT }], excluded: ['s'] });
  roles = reconcileRoles(restoreExcluded(roles), [node('a'), node('b'), shape], null);
  assert.deepEqual(roles.styles.map((s) => s.id), ['b', 's']);
  assert.deepEqual(roles.excluded, []);
});

test('a style’s region candidates are the selected layers left out of the run that no other style uses as its region', () => {
  const selection = [node('a'), node('b'), node('c'), { ...node('s'), shape: true }, { ...node('t'), shape: true }];
  const roles = { contentId: 'a', styles: [{ id: 'b', weight: 50 }, { id: 'c', weight: 50 }], excluded: ['s', 't'] };
  const region = (nodeIds: string[]) => ({ nodeIds, names: nodeIds, feather: 0, preview: { canvas: { width: 1, height: 1 }, pieces: [] }, thumbnail: 'blob:x' });
  assert.deepEqual(findRegionCandidates({ selection, roles, regions: {} }, 'b').map((n) => n.id), ['s', 't']);
  assert.deepEqual(findRegionCandidates({ selection, roles, regions: { c: region(['t']) } }, 'b').map((n) => n.id), ['s'], 't is c’s region');
  assert.deepEqual(findRegionCandidates({ selection, roles, regions: { b: region(['t']) } }, 'b').map((n) => n.id), ['s', 't'], 'its own region may be taken again');
});

test('more layers marked Content: taken from the styles, kept while selected, back as a style, and left out like a style', () => {
  let roles = reconcileRoles(empty, [node('a'), node('b'), node('c'), node('s')], null);
  roles = addContent(roles, 'b');
  assert.deepEqual(roles, { contentId: 'a', moreContents: ['b'], styles: [{ id: 'c', weight: DEFAULT_STYLE_WEIGHT }, { id: 's', weight: DEFAULT_STYLE_WEIGHT }], excluded: [] });
  assert.equal(addContent(roles, 'a'), roles, 'the content is no style to take');
  const reselected = reconcileRoles(roles, [node('a'), node('b'), node('c'), node('s'), node('d')], null);
  assert.deepEqual(reselected.moreContents, ['b'], 'still a content after the selection changed');
  assert.deepEqual(reselected.styles.map((s) => s.id), ['c', 's', 'd']);
  assert.equal(reconcileRoles(roles, [node('a'), node('c')], null).moreContents, undefined, 'deselected: gone');
  assert.deepEqual(contentToStyle(roles, 'b'), { contentId: 'a', styles: [{ id: 'c', weight: DEFAULT_STYLE_WEIGHT }, { id: 's', weight: DEFAULT_STYLE_WEIGHT }, { id: 'b', weight: DEFAULT_STYLE_WEIGHT }], excluded: [] });
  assert.deepEqual(excludeLayer(roles, 'b'), { contentId: 'a', styles: roles.styles, excluded: ['b'] });
});

test('the content made a style leaves no content (a texture, with Pattern on), which stays while a style is selected; the next content takes its place', () => {
  let roles = contentToStyle(reconcileRoles(empty, [node('a'), node('b')], null), 'a');
  assert.deepEqual(roles, { contentId: null, styles: [{ id: 'b', weight: DEFAULT_STYLE_WEIGHT }, { id: 'a', weight: DEFAULT_STYLE_WEIGHT }], excluded: [] });
  roles = reconcileRoles(roles, [node('a'), node('b'), node('c')], null);
  assert.equal(roles.contentId, null, 'a newly selected layer joins the styles');
  assert.deepEqual(roles.styles.map((s) => s.id), ['a', 'b', 'c'], 'in selection order');
  assert.equal(reconcileRoles(roles, [node('d')], null).contentId, 'd', 'no style left selected: the first selected layer is the content again');
  assert.deepEqual(contentToStyle({ contentId: 'a', moreContents: ['b', 'c'], styles: [], excluded: [] }, 'a'), { contentId: 'b', moreContents: ['c'], styles: [{ id: 'a', weight: DEFAULT_STYLE_WEIGHT }], excluded: [] });
});
