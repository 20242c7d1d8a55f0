import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parallelCoordinatesSpec } from '../../src/report/parallel.js';
import { groupMeansSpec, histogramSpec, lineChartSpec } from '../../src/report/specs.js';
import { inlineSvg, renderSvg } from '../../src/report/svg.js';

/** Path `d` attributes of the line marks in an SVG. */
function linePaths(svg: string): string[] {
  const group = svg.split('mark-line role-mark').slice(1);
  return group.flatMap((g) => [...g.split('</g>')[0]!.matchAll(/<path[^>]* d="([^"]+)"/g)].map((m) => m[1] as string));
}

it('a line chart has one path with data per run, and escapes run names', async () => {
  const spec = lineChartSpec({
    metric: 'loss',
    xAxis: '_step',
    series: [
      {
        label: 'run-a',
        points: [
          { x: 0, y: 1 },
          { x: 1, y: 0.5 },
          { x: 2, y: 0.25 },
        ],
      },
      {
        label: '<img src=x onerror=alert(1)>',
        points: [
          { x: 0, y: 2 },
          { x: 1, y: 1.5 },
          { x: 2, y: 1 },
        ],
      },
    ],
  });
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg/);
  const paths = linePaths(svg);
  assert.equal(paths.length, 2);
  for (const d of paths) assert.match(d, /^M[\d.-]+,[\d.-]+L[\d.-]+,[\d.-]+L/);
  assert.ok(svg.includes('run-a'));
  assert.ok(!svg.includes('<img'), 'run name is escaped');
  assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(svg.includes('>loss<') && svg.includes('>_step<'), 'axes are named');
});

it('the inline form carries no namespace URL', async () => {
  const svg = inlineSvg(await renderSvg(histogramSpec('weights', [1, 3, 2], [0, 1, 2, 3])));
  assert.ok(!/https?:/.test(svg));
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/mark-rect role-mark/g) ?? []).length, 1);
});

it('a parallel-coordinates chart draws a line per run across all axes', async () => {
  const spec = parallelCoordinatesSpec(
    'acc',
    ['lr', 'optimizer'],
    [
      { label: 'r1', values: { lr: 1e-5, optimizer: 'adam' }, metric: 0.9, best: true },
      { label: 'r2', values: { lr: 1e-2, optimizer: 'sgd' }, metric: 0.7 },
      { label: 'r3', values: { lr: 1e-3, optimizer: '</script>' }, metric: 0.8 },
    ],
  );
  const svg = await renderSvg(spec);
  const paths = linePaths(svg);
  assert.equal(paths.length, 3);
  for (const d of paths) assert.equal((d.match(/[ML]/g) ?? []).length, 3, 'three axes');
  assert.ok(svg.includes('>optimizer<') && svg.includes('>lr<') && svg.includes('>acc<'));
  assert.ok(svg.includes('&lt;/script&gt;') && !svg.includes('</script>'));
  // lr spans three decades, so its axis is logarithmic and labelled from 1e-5 to 0.01.
  assert.ok(svg.includes('>1.00e-5<') && svg.includes('>3.16e-4<') && svg.includes('>0.01<'));
});

it('a group-means chart has a point per group', async () => {
  const svg = await renderSvg(
    groupMeansSpec('acc', [
      { group: 'a', n: 3, mean: 0.8, lo: 0.7, hi: 0.9 },
      { group: 'b', n: 1, mean: 0.6, lo: null, hi: null },
    ]),
  );
  const points = svg.match(/aria-roledescription="point"/g) ?? [];
  assert.equal(points.length, 2);
  assert.ok(svg.includes('aria-label="group: a; mean: 0.8"'));
  assert.ok(svg.includes('>a<') && svg.includes('>b<'));
});

it("parallel coordinates on the sweep's own scales: a uniform parameter over three decades stays linear, a log one over one decade is log", () => {
  const runs = [
    { label: 'r1', values: { wd: 0.001, lr: 0.1, opt: 'sgd' }, metric: 0.9 },
    { label: 'r2', values: { wd: 1, lr: 1, opt: 'adam' }, metric: 0.7 },
    { label: 'r3', values: { wd: 0.5, lr: 0.316, opt: 'sgd' }, metric: 0.8 },
  ];
  const posOf = (spec: ReturnType<typeof parallelCoordinatesSpec>, run: string, dim: string): number => {
    const layers = (spec as { layer: Array<{ data: { values: Array<{ run?: string; dim: string; pos?: number }> } }> }).layer;
    return (layers[1]?.data.values.find((v) => v.run === run && v.dim === dim)?.pos ?? Number.NaN) as number;
  };
  const read = parallelCoordinatesSpec('acc', ['wd', 'lr', 'opt'], runs);
  assert.ok(Math.abs(posOf(read, 'r3', 'wd') - 0.9) < 0.01, 'read from the values, three decades: log (0.5 near the top)');
  const own = parallelCoordinatesSpec('acc', ['wd', 'lr', 'opt'], runs, {
    wd: { scale: 'linear', domain: [0, 1] },
    lr: { scale: 'log', domain: [0.01, 1] },
    opt: { scale: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  });
  assert.equal(posOf(own, 'r3', 'wd'), 0.5, 'uniform over [0, 1]: linear');
  assert.ok(Math.abs(posOf(own, 'r1', 'lr') - 0.5) < 1e-9, 'log over [0.01, 1]: 0.1 in the middle');
  assert.equal(posOf(own, 'r2', 'opt'), 0, "the sweep's list order: adam first");
  assert.equal(posOf(own, 'r1', 'opt'), 0.5);
});
