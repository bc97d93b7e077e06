// Time series and x/y charts drawn with uPlot (served from its WebJar at /dashboard/vendor/uplot/,
// its stylesheet linked by index.html). uPlot draws on a canvas, so every chart here also writes
// its numbers as text and names itself for screen readers.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import {h} from './dom.js';
import {PRIMARY} from './charts.js';

const FILL = 'rgba(0, 114, 178, 0.14)';
const AXIS = {stroke: '#52606d', grid: {stroke: '#e4e7eb', width: 1}, ticks: {stroke: '#d3dce6', width: 1}, font: '11px system-ui, sans-serif'};

/** Keeps a uPlot chart as wide as its container; returns a stop function. */
function fitWidth(plot, container, height) {
  const observer = new ResizeObserver(() => {
    const width = Math.floor(container.clientWidth);
    if (width > 0 && width !== plot.width) plot.setSize({width, height});
  });
  observer.observe(container);
  return () => observer.disconnect();
}

/**
 * A sparkline: a small area chart of one series over time, without axes or legend. `update(times,
 * values)` redraws it (times in seconds); `destroy()` removes it.
 */
export function sparkline(container, {height = 56} = {}) {
  const plot = new uPlot({
    width: Math.max(120, Math.floor(container.clientWidth) || 240),
    height,
    // Room for the line at 0 and at the top.
    padding: [6, 3, 3, 3],
    legend: {show: false},
    cursor: {show: false},
    select: {show: false},
    scales: {x: {time: true}, y: {range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1]}},
    axes: [{show: false}, {show: false}],
    series: [{}, {stroke: PRIMARY, fill: FILL, width: 1.5, points: {show: (u, i, i0, i1) => i1 - i0 < 2, size: 5}, spanGaps: false}],
  }, [[], []], container);
  const stop = fitWidth(plot, container, height);
  return {
    plot,
    update: (times, values) => plot.setData([times, values]),
    destroy: () => {
      stop();
      plot.destroy();
    },
  };
}

/** DuckDB's DATE and TIMESTAMP types (an x axis of time). */
export function isTimeType(type) {
  return /^(DATE|TIMESTAMP)/.test(String(type || '').toUpperCase());
}

/** A SQL result's time value (ISO or "2026-01-05 10:00:00", UTC unless it says otherwise) in seconds. */
export function timeSeconds(value) {
  if (value === null || value === undefined) return null;
  let text = String(value).trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00Z';
  else if (!/(Z|[+-]\d{2}(:?\d{2})?)$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/**
 * An x/y chart of a two-column result: `labels` (the first column's values), `values` (numbers),
 * `kind` 'bar' or 'line', `time` whether the labels are times. Returns {element, canvas, destroy}.
 */
export function xyChart(container, {labels, values, kind, time, xName, yName, height = 300}) {
  const xs = time ? labels.map(timeSeconds) : labels.map((_, i) => i);
  const order = xs.map((_, i) => i);
  if (time) order.sort((a, b) => xs[a] - xs[b]);
  const x = order.map((i) => xs[i]);
  const y = order.map((i) => (values[i] === null || values[i] === undefined ? null : Number(values[i])));
  const names = order.map((i) => (labels[i] === null || labels[i] === undefined ? 'NULL' : String(labels[i])));
  const bars = kind === 'bar';
  const xAxis = {...AXIS, label: xName, labelSize: 18};
  if (!time) {
    // Categories: one tick per bar with its label, as many as fit.
    xAxis.splits = () => x;
    xAxis.values = (u, splits) => {
      const every = Math.max(1, Math.ceil(splits.length / Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 70))));
      return splits.map((v, i) => (i % every === 0 ? names[v].slice(0, 14) : ''));
    };
  }
  const plot = new uPlot({
    width: Math.max(200, Math.floor(container.clientWidth) || 600),
    height,
    // Times as the API and SQL give them: UTC.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    scales: {
      x: {time, ...(time ? {} : {range: () => [-0.6, Math.max(0.6, x.length - 0.4)]})},
      y: {range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1]},
    },
    axes: [xAxis, {...AXIS, label: yName, labelSize: 18, size: 60}],
    legend: {live: true},
    series: [
      {label: xName, value: time ? '{YYYY}-{MM}-{DD} {HH}:{mm}' : (u, v) => (v === null || v === undefined ? '–' : names[v])},
      {
        label: yName, stroke: PRIMARY, width: bars ? 1 : 2, fill: bars ? PRIMARY : FILL,
        paths: bars ? uPlot.paths.bars({size: [0.7, 60], align: 0}) : undefined,
        points: {show: !bars, size: 6, fill: PRIMARY},
      },
    ],
  }, [x, y], container);
  const stop = fitWidth(plot, container, height);
  return {
    plot,
    canvas: () => plot.ctx.canvas,
    destroy: () => {
      stop();
      plot.destroy();
    },
  };
}

/** A labelled figure around a uPlot chart: the chart's numbers in words for screen readers. */
export function chartFigure(label, ...children) {
  return h('figure', {class: 'uplot-figure', 'aria-label': label}, ...children);
}
