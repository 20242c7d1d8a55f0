/**
 * The look every chart shares, whether the report renders it or a logged custom chart carries it
 * (media/chart-specs.ts): one palette and one Vega-Lite config, below both so neither imports the other.
 */

/** Ten distinct colours, then twenty; more runs than that share colours. */
export function palette(count: number): string[] {
  const ten = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const twenty = [...ten, '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  return count <= 10 ? ten : twenty;
}

/** Shared look: readable sizes, no external fonts (the system sans-serif). */
export const CHART_CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee', labelLimit: 160 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260, symbolStrokeWidth: 3 },
  title: { fontSize: 14, anchor: 'start', fontWeight: 'bold' },
} as const;
