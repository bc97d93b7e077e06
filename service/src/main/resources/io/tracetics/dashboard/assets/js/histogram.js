// The time-to-convert distribution of a step: one bar per fixed bucket of the report's
// `time_to_convert.histogram` ([0,1) s, [1,10) s, ... [7 d, ∞)). Same conventions as charts.js:
// SVG, the Okabe-Ito blue, every count written above its bar and each bar focusable with its
// numbers in words.

import {s} from './dom.js';
import * as fmt from './format.js';
import {PRIMARY, withTooltip} from './charts.js';
import {stepLabel, units, unitOf} from './steps.js';

/** 0 -> "0 s", 90 -> "90 s", 300 -> "5 min", 86400 -> "1 d": a bucket bound, short. */
export function boundText(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  if (seconds < 86400) return `${seconds / 3600} h`;
  return `${seconds / 86400} d`;
}

/** A bucket as people read it: "under 1 s", "1–10 s", "10 s–1 min", "7 d or more". */
export function bucketText(bucket) {
  const from = bucket.from_seconds;
  const to = bucket.to_seconds;
  if (to === null || to === undefined) return `${boundText(from)} or more`;
  if (from === 0) return `under ${boundText(to)}`;
  const [a, b] = [boundText(from), boundText(to)];
  const unitA = a.split(' ')[1];
  const unitB = b.split(' ')[1];
  return unitA === unitB ? `${a.split(' ')[0]}–${b}` : `${a}–${b}`;
}

/** 600 -> "10m": a bound for a narrow axis. */
function compactBound(seconds) {
  return boundText(seconds).replace(' min', 'm').replace(' ', '');
}

/** The axis label under a bucket: its words, or compact on two lines when the bars are narrow. */
function bucketLines(bucket, narrow) {
  const from = bucket.from_seconds;
  const to = bucket.to_seconds;
  const bound = narrow ? compactBound : boundText;
  if (to === null || to === undefined) return [`≥${bound(from)}`];
  if (from === 0) return [`<${bound(to)}`];
  return narrow ? [`${bound(from)}–`, bound(to)] : [bucketText(bucket)];
}

/**
 * The histogram of step `index` (from step index-1 to it), `width` pixels wide. Returns null for
 * the first step, which has no time to convert.
 */
export function timeHistogram(step, index, width, {unit = unitOf(null)} = {}) {
  const buckets = (step.time_to_convert && step.time_to_convert.histogram) || [];
  if (index === 0 || !buckets.length) return null;
  const narrow = width / buckets.length < 56;
  const height = narrow ? 190 : 176;
  const m = {top: 22, right: 4, bottom: narrow ? 40 : 26, left: 4};
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const band = plotW / buckets.length;
  const barW = Math.max(4, band * 0.78);
  const total = buckets.reduce((sum, b) => sum + b.users, 0);
  const max = Math.max(1, ...buckets.map((b) => b.users));
  const base = m.top + plotH;
  const what = `Time from step ${index} to step ${index + 1} “${stepLabel(step)}”`;
  const svg = s('svg', {
    class: ['chart', 'histogram-chart', narrow && 'narrow'], width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'group', 'aria-label': `${what}: ${units(total, unit)} in ${buckets.length} ranges`,
    'data-testid': 'ttc-histogram', 'data-step': index,
  });
  svg.append(s('line', {x1: m.left, x2: width - m.right, y1: base, y2: base, class: 'axis', 'aria-hidden': 'true'}));
  buckets.forEach((bucket, k) => {
    const x = m.left + band * k + (band - barW) / 2;
    const cx = x + barW / 2;
    const barH = bucket.users > 0 ? Math.max(2, (plotH * bucket.users) / max) : 0;
    const share = total > 0 ? bucket.users / total : 0;
    const g = s('g', {class: ['bucket', bucket.users === 0 && 'empty'], 'data-bucket': k, 'data-users': bucket.users,
      'data-from': bucket.from_seconds, 'data-to': bucket.to_seconds === null ? '' : bucket.to_seconds},
    // A transparent full-height target: an empty or short bucket can still be hovered and read.
    s('rect', {x: m.left + band * k, y: m.top, width: band, height: plotH, class: 'bucket-target'}),
    s('rect', {x, y: base - barH, width: barW, height: barH, rx: 1.5, fill: PRIMARY, class: 'bar'}),
    s('text', {x: cx, y: base - barH - 5, 'text-anchor': 'middle', class: ['small-value', 'halo', bucket.users === 0 && 'zero'],
      'data-testid': 'bucket-users'}, fmt.count(bucket.users)));
    bucketLines(bucket, narrow).forEach((line, row) => g.append(
      s('text', {x: cx, y: base + 15 + row * 13, 'text-anchor': 'middle', class: 'tick'}, line)));
    svg.append(withTooltip(g, [
      `${what}: ${bucketText(bucket)}`,
      `${units(bucket.users, unit)}, ${fmt.percent(share)} of the ${fmt.count(total)} who reached step ${index + 1}`,
    ]));
  });
  return svg;
}

/** The words under a histogram: median, p90 and mean. */
export function timingSummary(step) {
  const t = step.time_to_convert || {};
  return `median ${fmt.duration(t.median_seconds)} · p90 ${fmt.duration(t.p90_seconds)} · mean ${fmt.duration(t.mean_seconds)}`;
}
