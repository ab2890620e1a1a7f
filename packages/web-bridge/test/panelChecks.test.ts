import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_STYLES } from '@pastiche/core';
import { ADVANCED_FIELDS, checkFieldValue, findStyleProblem, withFieldValue, type AdvancedSettings, type HostWords } from '../src/ui/index.ts';

const settings: AdvancedSettings = { preset: 'standard', advanced: {}, runnerUrl: 'http://127.0.0.1:7878' };
const field = (key: string) => ADVANCED_FIELDS.find((f) => f.key === key)!;
/** The check as a panel makes it: on the settings with the typed value in them. */
const check = (key: string, value: unknown, from = settings) => checkFieldValue(field(key), value, withFieldValue(from, field(key), value));

describe('checkFieldValue: one check of the Advanced fields for both panels', () => {
  it('words what a field accepts for people, not the schema ceiling', () => {
    assert.equal(check('tvWeight', -1), 'expected a number ≥ 0');
    assert.equal(check('tvWeight', Number.NaN), 'expected a number ≥ 0');
    assert.equal(check('scales', 0), 'expected an integer from 1 to 8');
    assert.equal(check('tvWeight', 2), undefined);
    assert.equal(check('tvWeight', undefined), undefined, 'an empty field takes the default');
  });

  it('refuses what only a combination breaks, as the core and the runner would', () => {
    const noStyle = withFieldValue(withFieldValue(settings, field('contentWeight'), 0), field('styleWeight'), 0);
    assert.match(check('tvWeight', 0, noStyle)!, /contentWeight, styleWeight and tvWeight are all 0/);
    assert.equal(check('tvWeight', 1, noStyle), undefined);
  });

  it('takes only http(s) addresses for the runner and the weights', () => {
    assert.equal(check('runnerUrl', 'http://gpu-box:7878'), undefined);
    assert.equal(check('weightsUrl', undefined), undefined);
    assert.equal(check('weightsUrl', 'ftp://example.com/model.json'), 'expected an address starting with http:// or https://');
    assert.equal(check('runnerUrl', 'http://a b'), 'expected an address starting with http:// or https://');
  });
});

describe("findStyleProblem: the run's styles and fields, in the host's words", () => {
  const words: HostWords = { here: 'the plugin', inPageChoice: 'In plugin', addStyle: 'pick a layer' };
  it('names the first thing to fix', () => {
    assert.equal(findStyleProblem([], {}, words), 'Add a style: pick a layer.');
    assert.equal(findStyleProblem([{ weight: 0 }], {}, words), undefined, 'a single style takes the whole style term');
    assert.match(findStyleProblem([{ weight: 0 }, { weight: 0 }], {}, words)!, /Every style weight is 0/);
    assert.match(findStyleProblem(Array.from({ length: MAX_STYLES + 2 }, () => ({ weight: 1 })), {}, words)!, /leave 2 out/);
    assert.equal(findStyleProblem([{ weight: 1 }], { tvWeight: 'expected a number ≥ 0' }, words), 'Fix “Smoothness (TV)” in Advanced first.');
    assert.equal(findStyleProblem([{ weight: 1 }], {}, words), undefined);
  });
});
