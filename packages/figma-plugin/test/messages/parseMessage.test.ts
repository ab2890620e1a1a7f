import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MainToUiMessages, UiToMainMessages } from '../../src/messages/messageSchemas.ts';
import { MessageError, parseMessage } from '../../src/messages/parseMessage.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';

test('a message that fits its schema comes through typed', () => {
  const message = parseMessage(UiToMainMessages, { name: 'settings-changed', payload: { settings: DEFAULT_SETTINGS } });
  assert.equal(message.name, 'settings-changed');
  const started = parseMessage(MainToUiMessages, { name: 'plugin-started', payload: { settings: DEFAULT_SETTINGS, runnerToken: '', relaunch: null } });
  assert.equal(started.name, 'plugin-started');
});

test('settings reuse the core’s option schema: a bad option is refused with its path', () => {
  const bad = { ...DEFAULT_SETTINGS, advanced: { size: 5 } };
  assert.throws(() => parseMessage(UiToMainMessages, { name: 'settings-changed', payload: { settings: bad } }), (e: Error) => e instanceof MessageError && /settings-changed\.settings\.advanced\.size/.test(e.message));
  const unknown = { ...DEFAULT_SETTINGS, advanced: { flavour: 'mint' } };
  assert.throws(() => parseMessage(UiToMainMessages, { name: 'settings-changed', payload: { settings: unknown } }), MessageError);
});

test('unknown names, missing payloads and wrong binary types are refused', () => {
  assert.throws(() => parseMessage(UiToMainMessages, null), /expected an object/);
  assert.throws(() => parseMessage(UiToMainMessages, { name: 'toString', payload: {} }), /message\.name/);
  assert.throws(() => parseMessage(MainToUiMessages, { name: 'thumbnail-exported', payload: { id: '1:2', png: [1, 2, 3] } }), /thumbnail-exported\.png/);
  assert.throws(() => parseMessage(UiToMainMessages, { name: 'result-ready', payload: { runId: 1 } }), /result-ready/);
});
