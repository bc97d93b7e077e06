// The report's pictures beyond the funnel bars: each step's time-to-convert histogram, the report's
// numbers as CSV and the funnel chart as SVG or PNG.

import {h} from '../dom.js';
import {responsive} from '../charts.js';
import {timeHistogram, timingSummary} from '../histogram.js';
import {chartDownloads, csvDownload, fileStem} from '../export.js';
import {stepLabel, units, unitOf} from '../steps.js';

/** Column names of the histogram's buckets: ttc_0s_to_1s ... ttc_604800s_plus. */
function bucketColumn(bucket) {
  const from = Math.round(bucket.from_seconds);
  return bucket.to_seconds === null || bucket.to_seconds === undefined
    ? `ttc_${from}s_plus` : `ttc_${from}s_to_${Math.round(bucket.to_seconds)}s`;
}

/**
 * The report's numbers as CSV rows (header first): one row per step, then, with a breakdown, one
 * per group and step. Times are in seconds; the ttc_ columns are the histogram's counts.
 */
export function reportCsvRows(report, breakdown) {
  const buckets = (report.steps.find((st) => st.time_to_convert && st.time_to_convert.histogram.length) || {time_to_convert: {histogram: []}})
    .time_to_convert.histogram;
  const header = ['group', 'breakdown', 'breakdown_value', 'step', 'step_name', 'users', 'conversion_from_first',
    'conversion_from_previous', 'drop_off', 'median_seconds', 'p90_seconds', 'mean_seconds', ...buckets.map(bucketColumn)];
  const row = (group, value, step, i) => {
    const t = step.time_to_convert || {};
    const hist = t.histogram || [];
    return [group, group === 'all' ? null : breakdown, value, i + 1, stepLabel(step), step.users, step.conversion_from_first,
      i ? step.conversion_from_previous : null, i ? step.drop_off : null,
      t.median_seconds, t.p90_seconds, t.mean_seconds,
      ...buckets.map((b, k) => (i && hist[k] ? hist[k].users : null))];
  };
  const rows = [header, ...report.steps.map((step, i) => row('all', null, step, i))];
  for (const g of report.breakdowns || []) {
    const kind = g.other ? 'other' : (g.value === null || g.value === undefined ? 'not set' : 'value');
    g.steps.forEach((step, i) => rows.push(row(kind, kind === 'value' ? g.value : null, step, i)));
  }
  return rows;
}

/** "Download CSV" of the report and SVG/PNG of the funnel chart in `chartBox`. */
export function reportDownloads(report, funnelName, breakdown, chartBox) {
  const stem = fileStem(funnelName);
  return h('div', {class: 'chart-downloads'},
    csvDownload(() => reportCsvRows(report, breakdown), `${stem}-report`, 'report-csv'),
    chartDownloads(() => chartBox.querySelector('svg'), 'the funnel chart', `${stem}-funnel`, 'funnel'));
}

/** One small histogram per step after the first, with its median, p90 and mean in words. */
export function timingSection(report, funnelName) {
  const unit = unitOf(report.count_by);
  const stem = fileStem(funnelName);
  const stops = [];
  const figures = report.steps.slice(1).map((step, k) => {
    const i = k + 1;
    const box = h('div', {class: 'chart-box histogram-box'});
    const reached = step.users > 0;
    if (reached) stops.push(responsive(box, (w) => box.replaceChildren(timeHistogram(step, i, w, {unit}))));
    return h('figure', {class: 'ttc-figure', 'data-testid': 'ttc-figure', 'data-step': i},
      h('figcaption', {},
        h('strong', {}, `${i + 1}. ${stepLabel(step)}`),
        h('span', {class: 'muted'}, ` · from step ${i} · ${units(step.users, unit)}`)),
      reached ? h('p', {class: 'muted ttc-summary', 'data-testid': 'ttc-summary'}, timingSummary(step)) : null,
      reached ? box : h('p', {class: 'muted'}, `No ${unit.many} reached this step.`),
      reached ? chartDownloads(() => box.querySelector('svg'), `the time to step ${i + 1}`, `${stem}-step-${i + 1}-time`, 'ttc') : null);
  });
  const section = h('section', {class: 'card', 'data-testid': 'time-to-convert'},
    h('h2', {}, 'Time to convert'),
    h('p', {class: 'muted'}, `How long ${unit.many} took from the previous step, in ranges from under a second to a week or more. `,
      'The number over each bar is how many took that long; hover or focus a bar for its share.'),
    figures.length ? h('div', {class: 'ttc-grid'}, figures) : h('p', {class: 'muted'}, 'A one-step funnel has no time to convert.'));
  section.stop = () => stops.forEach((stop) => stop());
  return section;
}
