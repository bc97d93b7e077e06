// The pipeline page's sparklines: loader lag, ingest rate and waiting events over the last ten
// minutes. The API gives only the present, so the page keeps the samples of its 5-second polls
// itself, per tenant, for as long as the tab is open (leaving the page and coming back keeps them).

import {h} from '../dom.js';
import * as fmt from '../format.js';
import {sparkline} from '../timeseries.js';

export const WINDOW_SECONDS = 600;

const METRICS = [
  {key: 'lag', label: 'Loader lag, median', read: (st) => st.loader.lag_ms.p50, format: (v) => fmt.millis(v),
    note: 'acknowledged → queryable'},
  {key: 'rate', label: 'Events per second', read: (st) => st.ingest.per_second_1m, format: (v) => fmt.number(v),
    note: 'ingest, over the last minute'},
  {key: 'waiting', label: 'Your events waiting', read: (st) => st.queue.waiting_events, format: (v) => fmt.count(v),
    note: 'committed, not yet queryable here'},
];

/** tenant id -> {t: [seconds], lag: [...], rate: [...], waiting: [...]} */
const windows = new Map();

function windowOf(tenantId) {
  if (!windows.has(tenantId)) windows.set(tenantId, {t: [], lag: [], rate: [], waiting: []});
  return windows.get(tenantId);
}

/** Adds one poll's numbers to a window and drops what is older than the window. */
export function addSample(samples, status) {
  const t = Date.parse(status.generated_at) / 1000;
  const last = samples.t[samples.t.length - 1];
  if (!Number.isFinite(t) || (last !== undefined && t <= last)) return false;
  samples.t.push(t);
  for (const m of METRICS) {
    const v = m.read(status);
    samples[m.key].push(v === null || v === undefined ? null : v);
  }
  while (samples.t.length && samples.t[0] < t - WINDOW_SECONDS) {
    samples.t.shift();
    for (const m of METRICS) samples[m.key].shift();
  }
  return true;
}

function range(values) {
  const known = values.filter((v) => v !== null && v !== undefined);
  return known.length ? [Math.min(...known), Math.max(...known)] : null;
}

/** The card of sparklines: `push(status)` after each poll, `stop()` when the page goes. */
export function pipelineTrends(tenantId) {
  const samples = windowOf(tenantId);
  const tiles = METRICS.map((m) => {
    const value = h('div', {class: 'stat-value', 'data-testid': `spark-${m.key}-value`});
    const extent = h('div', {class: 'stat-note', 'data-testid': `spark-${m.key}-range`});
    const box = h('div', {class: 'spark-box', 'aria-hidden': 'true'});
    const tile = h('figure', {class: 'spark', 'data-testid': `spark-${m.key}`},
      h('figcaption', {class: 'stat-label'}, m.label), value, box, extent);
    return {m, tile, value, extent, chart: sparkline(box)};
  });

  function draw() {
    const span = samples.t.length > 1 ? samples.t[samples.t.length - 1] - samples.t[0] : 0;
    for (const {m, tile, value, extent, chart} of tiles) {
      const values = samples[m.key];
      const last = values[values.length - 1];
      const extremes = range(values);
      value.textContent = last === null || last === undefined ? '–' : m.format(last);
      extent.textContent = extremes
        ? `${m.note}; ${samples.t.length} sample${samples.t.length === 1 ? '' : 's'}${span ? ` over ${fmt.duration(span)}` : ''}, low ${m.format(extremes[0])}, high ${m.format(extremes[1])}`
        : m.note;
      tile.dataset.points = String(samples.t.length);
      tile.dataset.last = last === null || last === undefined ? '' : String(last);
      tile.setAttribute('aria-label', `${m.label}: now ${value.textContent}. ${extent.textContent}`);
      chart.update(samples.t.slice(), values.slice());
    }
  }

  const element = h('section', {class: 'card', 'data-testid': 'pipeline-trends'},
    h('h2', {}, 'Last 10 minutes'),
    h('p', {class: 'muted'}, 'Sampled every 5 seconds while this page is open.'),
    h('div', {class: 'sparks'}, tiles.map((t) => t.tile)));
  draw();
  return {
    element,
    push(status) {
      if (addSample(samples, status)) draw();
    },
    stop() {
      tiles.forEach((t) => t.chart.destroy());
    },
  };
}
