import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hyperbandBands, hyperbandReport, hyperbandStops, parseSweepConfig, type HyperbandRun } from '../../src/sweeps/index.js';

function config(early: Record<string, unknown>, goal: 'minimize' | 'maximize' = 'minimize') {
  return parseSweepConfig({
    method: 'random',
    metric: { name: 'loss', goal },
    early_terminate: { type: 'hyperband', ...early },
    parameters: { x: { min: 0, max: 1.5 } },
  });
}
const bands = (early: Record<string, unknown>): number[] => hyperbandBands(config(early).early_terminate!);

describe('hyperband bands', () => {
  it("max_iter form matches SWEEPS.md's table", () => {
    assert.deepEqual(bands({ max_iter: 27, s: 2 }), [3, 9]);
    assert.deepEqual(bands({ max_iter: 27, s: 3 }), [1, 3, 9]);
    assert.deepEqual(bands({ max_iter: 27, s: 5 }), [1, 3, 9]);
    assert.deepEqual(bands({ max_iter: 10, s: 2 }), [1, 3]);
    assert.deepEqual(bands({ max_iter: 81, s: 4 }), [1, 3, 9, 27]);
    assert.deepEqual(bands({ max_iter: 100, s: 3, eta: 2.5 }), [6, 16, 40]);
  });

  it('min_iter form gives 100 bands, truncated float products', () => {
    const b3 = bands({ min_iter: 3 });
    assert.equal(b3.length, 100);
    assert.deepEqual(b3.slice(0, 4), [3, 9, 27, 81]);
    assert.deepEqual(bands({ min_iter: 2, eta: 1.5 }).slice(0, 8), [2, 3, 4, 6, 10, 15, 22, 34]);
  });

  it('defaults strict to true and eta to 3', () => {
    assert.deepEqual(config({ min_iter: 1 }).early_terminate, { type: 'hyperband', min_iter: 1, eta: 3, strict: true });
  });
});

describe('hyperband stopping', () => {
  it('takes the floor(n/eta)-th value as the threshold and stops worse running runs (7 runs, band 1)', () => {
    const cfg = config({ min_iter: 1 });
    const runs: HyperbandRun[] = [1, 2, 3, 4, 5, 6, 7].map((v) => ({ runId: `r${v}`, state: 'running', history: [v] }));
    const report = hyperbandReport(cfg, runs);
    assert.equal(report.thresholds[0], 3);
    assert.deepEqual(hyperbandStops(cfg, runs), ['r4', 'r5', 'r6', 'r7']);
  });

  it('strict judges the value at the band, non-strict the best so far (SWEEPS.md example)', () => {
    const runs: HyperbandRun[] = [
      { runId: 'judged', state: 'running', history: [5, 1, 9] },
      { runId: 'p1', state: 'finished', history: [6, 5, 4] },
      { runId: 'p2', state: 'finished', history: [7, 4, 3] },
    ];
    assert.deepEqual(hyperbandStops(config({ min_iter: 3 }), runs), ['judged']);
    assert.deepEqual(hyperbandStops(config({ min_iter: 3, strict: false }), runs), []);
    const d = hyperbandReport(config({ min_iter: 3 }), runs).decisions[0];
    assert.deepEqual(d, { runId: 'judged', band: 3, value: 9, threshold: 4, stop: true });
  });

  it('lets ties survive, judges only running runs, and ignores runs before the first band', () => {
    const cfg = config({ min_iter: 2 });
    const runs: HyperbandRun[] = [
      { runId: 'tie', state: 'running', history: [0, 4] },
      { runId: 'a', state: 'finished', history: [0, 1] },
      { runId: 'b', state: 'failed', history: [0, 4] },
      { runId: 'c', state: 'finished', history: [0, 9] },
      { runId: 'early', state: 'running', history: [100] },
      { runId: 'done', state: 'finished', history: [0, 50] },
    ];
    // band 2 values: 1, 4, 4, 9, 50 -> sorted, index floor(5/3) = 1 -> 4
    assert.equal(hyperbandReport(cfg, runs).thresholds[0], 4);
    assert.deepEqual(hyperbandStops(cfg, runs), []);
  });

  it('negates values when maximising', () => {
    const cfg = config({ min_iter: 1 }, 'maximize');
    const runs: HyperbandRun[] = [1, 2, 3, 4, 5, 6, 7].map((v) => ({ runId: `r${v}`, state: 'running', history: [v] }));
    assert.deepEqual(hyperbandStops(cfg, runs).sort(), ['r1', 'r2', 'r3', 'r4']);
    assert.equal(hyperbandReport(cfg, runs).thresholds[0], 5);
  });

  it('counts only finite values as iterations and keeps judging at the last band', () => {
    const cfg = config({ max_iter: 9, s: 1 }); // bands [3]
    const runs: HyperbandRun[] = [
      { runId: 'nan', state: 'running', history: [1, Number.NaN, 1, 8, Infinity] }, // 3 finite values: [1, 1, 8]
      { runId: 'long', state: 'running', history: [1, 1, 9, 0, 0, 0, 0] },
      { runId: 'peer', state: 'finished', history: [1, 1, 2] },
    ];
    // band 3 values: 8, 9, 2 -> sorted [2, 8, 9], index 1 -> 8
    const report = hyperbandReport(cfg, runs);
    assert.deepEqual(report.bands, [3]);
    assert.equal(report.thresholds[0], 8);
    assert.deepEqual(hyperbandStops(cfg, runs), ['long']);
  });

  it('reports null thresholds where no run reached a band', () => {
    const report = hyperbandReport(config({ max_iter: 27, s: 2 }), [{ runId: 'a', state: 'running', history: [1, 2, 3] }]);
    assert.deepEqual(report.thresholds, [3, null]);
  });
});
