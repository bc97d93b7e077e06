// Beside a SQL result: "Download CSV" (the same query asked again with Accept: text/csv) and, for a
// result of exactly two columns whose second is a number, a chart of it (bars, or a line; over time
// when the first column is a DATE or TIMESTAMP) drawn with uPlot above the table.

import {h} from '../dom.js';
import {download} from '../api.js';
import * as fmt from '../format.js';
import {xyChart, isTimeType} from '../timeseries.js';
import {canvasDownload, blobDownload} from '../export.js';

const NUMERIC = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|REAL|DECIMAL.*)$/;

/** Whether a result can be drawn: two columns, the second numeric. */
export function chartable(result) {
  return result.columns.length === 2 && NUMERIC.test(String(result.columns[1].type).toUpperCase());
}

function describe(result, time) {
  const values = result.rows.map((r) => r[1]).filter((v) => v !== null && v !== undefined).map(Number);
  const [x, y] = result.columns.map((c) => c.name);
  if (!values.length) return `${y} by ${x}: no values`;
  return `${time ? 'Line' : 'Bar'} chart of ${y} by ${x}: ${fmt.count(result.rows.length)} rows, `
    + `lowest ${fmt.number(Math.min(...values))}, highest ${fmt.number(Math.max(...values))}. The table below has every value.`;
}

/**
 * The tools of one result: returns {toolbar, chart, stop}. `rows` are the rows the table shows
 * (and the chart draws); the CSV is the whole result, fetched again.
 */
export function resultTools(result, rows, {appId, query}) {
  const stops = [];
  const csvButton = blobDownload('Download CSV', 'Download the whole result as CSV', 'sql-csv',
    async () => (await download('POST', `/api/v1/apps/${appId}/sql`, {query}, {accept: 'text/csv'})).blob,
    () => `app-${appId}-query.csv`);
  if (!chartable(result)) {
    return {toolbar: h('div', {class: 'result-tools'}, csvButton), chart: h('div'), stop: () => {}};
  }
  const time = isTimeType(result.columns[0].type);
  const chart = h('div', {class: 'sql-chart', 'data-testid': 'sql-chart', hidden: true});
  const toggle = h('button', {type: 'button', class: 'button small', 'aria-pressed': 'false', 'data-testid': 'sql-chart-toggle'}, 'Chart');
  const kind = h('select', {class: 'small-select', 'aria-label': 'Chart kind', 'data-testid': 'sql-chart-kind'},
    h('option', {value: 'bar', selected: !time}, 'Bars'),
    h('option', {value: 'line', selected: time}, 'Line'));
  let drawn = null;

  function draw() {
    if (drawn) drawn.destroy();
    const box = h('div', {class: 'uplot-box'});
    const label = describe(result, kind.value === 'line');
    chart.dataset.kind = kind.value;
    chart.dataset.points = String(rows.length);
    chart.replaceChildren(h('p', {class: 'visually-hidden'}, label), box);
    drawn = xyChart(box, {
      labels: rows.map((r) => r[0]), values: rows.map((r) => r[1]), kind: kind.value, time,
      xName: result.columns[0].name, yName: result.columns[1].name,
    });
    chart.append(canvasDownload(() => drawn.canvas(), 'the chart', `app-${appId}-query-chart`, 'sql-chart'));
  }

  toggle.addEventListener('click', () => {
    const on = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(on));
    chart.hidden = !on;
    if (on) {
      draw();
    } else if (drawn) {
      drawn.destroy();
      drawn = null;
    }
  });
  kind.addEventListener('change', () => { if (!chart.hidden) draw(); });
  stops.push(() => { if (drawn) drawn.destroy(); });
  return {
    toolbar: h('div', {class: 'result-tools'}, csvButton, toggle, kind),
    chart,
    stop: () => stops.forEach((stop) => stop()),
  };
}
