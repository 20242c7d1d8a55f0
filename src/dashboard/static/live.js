// Live pages: a page whose shown runs are still running asks again every few seconds and redraws;
// once every shown run has ended it stops asking, and says so. A hidden tab waits until shown.
import { h } from './dom.js';

export const LIVE_MS = 2000;

export const isLive = (state) => state === 'running' || state === 'pending';

/**
 * `tick()` fetches and redraws, returning whether any shown run is still live. Call `start(live)`
 * after the first draw; the returned element (role status) tells which of the two it is doing.
 */
export function livePoller(tick, { ms = LIVE_MS, id = 'live-status' } = {}) {
  const el = h('span', { class: 'live muted small', id, role: 'status' });
  let timer;
  let stopped = false;
  const show = (live) => {
    el.textContent = live ? `live: updating every ${ms / 1000} s` : 'all shown runs ended: not updating';
    el.classList.toggle('on', live);
    el.setAttribute('data-live', live ? 'true' : 'false');
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  async function run() {
    if (stopped || !el.isConnected) return; // the page moved on
    if (document.hidden) {
      document.addEventListener('visibilitychange', run, { once: true });
      return;
    }
    let live = true;
    try {
      live = await tick();
    } catch {
      // the server may be restarting: try again on the next tick
    }
    show(live);
    if (live) schedule();
  }
  return {
    el,
    start(live) {
      show(live);
      if (live) schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
