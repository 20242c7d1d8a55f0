import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromYaml, configToYaml, decodeConfig, encodeConfig, encodeConfigJson } from '../../src/wandb/config-encoding.js';

describe('config encoding', () => {
  const config = { lr: 0.01, arch: { layers: 4, act: 'relu' }, 'a.b/c': [1, 2], name: 'x', flag: false, none: null };

  it('wraps every key in {value} and adds _wandb.value.t', () => {
    const enc = encodeConfig(config, { wandb: { m: [] } });
    assert.deepEqual(enc['lr'], { value: 0.01 });
    assert.deepEqual(enc['arch'], { value: { layers: 4, act: 'relu' } });
    assert.deepEqual(enc['_wandb'], { value: { t: {}, m: [] } });
    assert.equal(Object.keys(enc).length, Object.keys(config).length + 1);
  });

  it('round-trips through JSON and YAML', () => {
    assert.deepEqual(decodeConfig(encodeConfigJson(config)), { config, wandb: { t: {} } });
    const yaml = configToYaml(encodeConfig(config));
    assert.match(yaml, /^lr:\n {2}value: 0.01$/m);
    assert.deepEqual(configFromYaml(yaml), { config, wandb: { t: {} } });
  });

  it('decodes the legacy {desc, value} form and tolerates a legacy wandb_version header', () => {
    const legacy = 'wandb_version: 1\n\nlr:\n  desc: null\n  value: 0.5\n_wandb:\n  desc: null\n  value:\n    t:\n      "1": [1, 5]\n';
    assert.deepEqual(configFromYaml(legacy), { config: { lr: 0.5 }, wandb: { t: { '1': [1, 5] } } });
    assert.deepEqual(decodeConfig({ lr: { desc: 'learning rate', value: 0.2 } }), { config: { lr: 0.2 }, wandb: undefined });
  });

  it('keeps unwrapped values as they are and ignores a user-supplied _wandb', () => {
    assert.deepEqual(decodeConfig('{"lr":0.1}'), { config: { lr: 0.1 }, wandb: undefined });
    assert.deepEqual(decodeConfig(''), { config: {}, wandb: undefined });
    assert.deepEqual(encodeConfig({ _wandb: 1, a: undefined }), { _wandb: { value: { t: {} } } });
  });
});
