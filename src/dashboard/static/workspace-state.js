// The workspace's chart controls as the URL keeps them (x axis, smoothing, log scales, grouping, band, chart filter).

/** The controls from the page's URL, defaults where absent. */
export function urlState() {
  const p = new URLSearchParams(location.search);
  return {
    x: p.get('x') || '_step',
    smooth: p.get('smooth') || 'none',
    amount: Number(p.get('smoothing') ?? 0.6),
    logx: p.get('logx') === '1',
    logy: p.get('logy') === '1',
    groupBy: p.get('groupBy') || '',
    band: p.get('band') || 'minmax',
    metrics: p.get('metrics') || '',
  };
}

/** Writes the controls into the URL, leaving out defaults and the other parameters alone. */
export function saveUrl(s) {
  const p = new URLSearchParams(location.search);
  const put = (k, v, def) => (v === def || v === '' || v === false ? p.delete(k) : p.set(k, v === true ? '1' : String(v)));
  put('x', s.x, '_step');
  put('smooth', s.smooth, 'none');
  put('smoothing', s.smooth === 'none' ? 0.6 : s.amount, 0.6);
  put('logx', s.logx, false);
  put('logy', s.logy, false);
  put('groupBy', s.groupBy, '');
  put('band', s.band, 'minmax');
  put('metrics', s.metrics, '');
  history.replaceState(null, '', `${location.pathname}?${p}`);
}
