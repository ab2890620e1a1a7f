import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { STYLE_PRESETS } from '../src/presets/stylePresets.ts';
import { stylePresetUrl } from '../src/presets/stylePresetUrl.ts';

const sourcesMd = path.resolve(import.meta.dirname, '../../../../shared/images/SOURCES.md');

test('every shipped preset file matches its recorded sha256 and weighs at most 150 KB', async () => {
  assert.equal(STYLE_PRESETS.length, 4);
  for (const preset of STYLE_PRESETS) {
    const bytes = await readFile(stylePresetUrl(preset));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), preset.sha256, `${preset.id}: the file is not the one recorded`);
    assert.ok(bytes.length <= 150 * 1024, `${preset.id}: ${bytes.length} bytes`);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${preset.id}: not a JPEG`);
  }
});

test('every preset is a painting SOURCES.md lists as public domain, credited as it is there', async () => {
  const rows = (await readFile(sourcesMd, 'utf8')).split('\n').filter((line) => line.startsWith('| '));
  for (const preset of STYLE_PRESETS) {
    assert.equal(preset.licence, 'public domain');
    const file = path.basename(preset.source);
    const row = rows.find((r) => r.includes(file) || r.includes(`\`${file}\``));
    assert.ok(row, `${preset.id}: ${file} is not in SOURCES.md`);
    assert.match(row, /\| public domain/, `${preset.id}: SOURCES.md does not list ${file} as public domain`);
    for (const credit of [preset.title, preset.artist, String(preset.year)]) assert.ok(row.includes(credit), `${preset.id}: "${credit}" is not in ${row}`);
  }
});
