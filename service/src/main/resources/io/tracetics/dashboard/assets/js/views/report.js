import {h, mount, field} from '../dom.js';
import {get} from '../api.js';
import * as fmt from '../format.js';
import {nextDay, previousDay} from '../format.js';
import {funnelChart, groupedChart, trendChart, responsive, groupColour, groupLabel} from '../charts.js';
import {funnelSummary} from './apps.js';
import {propertyNames} from './suggest.js';
import {peoplePanel, describeCell, cellParams as cellParamsOf} from './people.js';
import {appCohorts, cohortsText, saveAsCohort} from './cohorts.js';
import {sharePanel} from './share.js';
import {reportDownloads, timingSection} from './timing.js';
import {stepLabel, withinText, alternativeLabel, unitOf, units, countByText} from '../steps.js';

export function freshnessText(report, now = Date.now()) {
  const parts = [`Computed ${fmt.ago(report.computed_at, now)}`];
  if (report.data_through) {
    const events = report.watermark ? ` (${fmt.count(report.watermark.events)} events)` : '';
    parts.push(`events up to ${fmt.dateTime(report.data_through)}${events}`);
  } else {
    parts.push('no events loaded yet');
  }
  if (report.watermark && report.watermark.identity_version !== undefined) {
    parts.push(`identity version ${fmt.count(report.watermark.identity_version)}`);
  }
  parts.push(report.cached ? 'cached result' : 'computed live');
  return parts.join(' · ');
}

/** A number in a table that opens its people (the same as clicking its bar). */
function countButton(n, label, open) {
  if (!open || !n) return fmt.count(n);
  return h('button', {type: 'button', class: 'link-button count-button', 'aria-label': label, onclick: open}, fmt.count(n));
}

/** A step's row header: number, name and its time limit when it has one. */
function stepHeader(step, i, definitionStep) {
  const within = i > 0 && definitionStep && definitionStep.within_seconds;
  return h('th', {scope: 'row'}, `${i + 1}. ${stepLabel(step)}`,
    within ? h('span', {class: 'muted step-limit-text', 'data-testid': 'step-row-limit'}, ` · ${withinText(within)} of step ${i}`) : null);
}

/** Below a step with alternatives: one row per alternative with its users and share of the step. */
function alternativeTableRows(step, i, definitionStep, unit) {
  return (step.alternatives || []).map((alt) => h('tr', {class: 'alternative-row', 'data-testid': 'alternative-row', 'data-step': i, 'data-alternative': alt.index},
    h('th', {scope: 'row', class: 'alternative-name'}, h('span', {class: 'muted'}, alt.index ? 'or ' : 'by '), alternativeLabel(alt, definitionStep)),
    h('td', {class: 'num', 'data-col': 'users'}, fmt.count(alt.users)),
    h('td', {class: 'muted', colspan: 6, 'data-col': 'share'},
      `${fmt.percent(step.users > 0 ? alt.users / step.users : 0)} of the step's ${units(step.users, unit)} took it this way`)));
}

/** Every step's numbers; `definition` (the funnel) adds time limits and alternatives' filters. */
function stepsTable(steps, select, {definition, unit = unitOf(null)} = {}) {
  const defSteps = (definition && definition.steps) || [];
  const who = unit.property ? unit.many : 'people';
  return h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'steps-table'},
    h('caption', {class: 'visually-hidden'}, `${unit.title} and conversion per step`),
    h('thead', {}, h('tr', {},
      ['Step', unit.title, 'Of step 1', 'Of previous', 'Dropped off', 'Median time', 'p90 time', 'Mean time']
        .map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
    h('tbody', {}, steps.map((step, i) => {
      const t = step.time_to_convert || {};
      return [h('tr', {'data-testid': 'step-row', 'data-step': i},
        stepHeader(step, i, defSteps[i]),
        h('td', {class: 'num', 'data-col': 'users'}, countButton(step.users, `List the ${fmt.count(step.users)} ${who} at step ${i + 1}`,
          select && (() => select({step: i, status: 'reached'})))),
        h('td', {class: 'num', 'data-col': 'from-first'}, fmt.percent(step.conversion_from_first)),
        h('td', {class: 'num', 'data-col': 'from-previous'}, i ? fmt.percent(step.conversion_from_previous) : '–'),
        h('td', {class: 'num', 'data-col': 'drop-off'}, i ? countButton(step.drop_off, `List the ${fmt.count(step.drop_off)} ${who} who dropped off before step ${i + 1}`,
          select && (() => select({step: i, status: 'dropped'}))) : '–'),
        h('td', {class: 'num', 'data-col': 'median'}, i ? fmt.duration(t.median_seconds) : '–'),
        h('td', {class: 'num', 'data-col': 'p90'}, i ? fmt.duration(t.p90_seconds) : '–'),
        h('td', {class: 'num', 'data-col': 'mean'}, i ? fmt.duration(t.mean_seconds) : '–')),
      ...alternativeTableRows(step, i, defSteps[i], unit)];
    }))));
}

/** Significant below this (a group's: its adjusted p-value). */
const ALPHA = 0.05;

const METHODS = {z_test: 'z-test', fisher_exact: "Fisher's exact test"};

/**
 * How a comparison's significance reads, in words and a shape (never colour alone): a rise or a
 * drop with p < 0.05, no significant change, or too few users to test.
 */
export function significanceOf(comparison, adjusted = false) {
  const sig = comparison && comparison.significance;
  if (!sig) return null;
  if (sig.method === 'insufficient_sample') {
    return {kind: 'insufficient', icon: '?', label: 'Too few to test', detail: 'fewer than 30 users entered on one side'};
  }
  const p = adjusted ? sig.adjusted_p_value : sig.p_value;
  const detail = `${fmt.pValue(p)}${adjusted ? ' adjusted' : ''}, ${METHODS[sig.method] || sig.method}`;
  if (p < ALPHA) {
    const rise = comparison.difference > 0;
    return {kind: 'significant', direction: rise ? 'rise' : 'drop', icon: rise ? '▲' : '▼', label: rise ? 'Significant rise' : 'Significant drop', detail};
  }
  return {kind: 'not-significant', icon: '≈', label: 'No significant change', detail};
}

function significanceBadge(verdict) {
  if (!verdict) return h('span', {class: 'muted'}, '–');
  return h('span', {class: ['sig', `sig-${verdict.kind}`, verdict.direction && `sig-${verdict.direction}`], 'data-significance': verdict.kind},
    h('span', {class: 'sig-icon', 'aria-hidden': 'true'}, verdict.icon), ' ', h('strong', {}, verdict.label),
    h('span', {class: 'sig-detail'}, ` (${verdict.detail})`));
}

/** A range of whole days as "2026-01-08 – 2026-01-14" (to is exclusive), else as times. */
function rangeText(from, to) {
  const midnight = (iso) => /T00:00(:00(\.0+)?)?Z$/.test(iso);
  if (midnight(from) && midnight(to)) return `${from.slice(0, 10)} – ${previousDay(to)}`;
  return `${fmt.dateTime(from)} – ${fmt.dateTime(to)}`;
}

/** This period's steps against the previous period's, with whether each change is significant. */
function compareSection(report) {
  const c = report.compare;
  return h('section', {class: 'card', 'data-testid': 'comparison'},
    h('h2', {}, 'Compared with the previous period'),
    h('p', {class: 'muted', 'data-testid': 'compare-ranges'},
      `Entered ${rangeText(c.from, c.to)} against ${rangeText(c.previous_from, c.previous_to)}, the same length just before. `,
      'Conversion is from step 1; a change is significant when p < 0.05 (two-sided z-test, or Fisher\'s exact test for small counts). ',
      'Periods where fewer than 30 users entered are not tested.'),
    h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'compare-table'},
      h('caption', {class: 'visually-hidden'}, 'Users and conversion per step in this and the previous period'),
      h('thead', {}, h('tr', {},
        ['Step', 'Of step 1', 'Previous', 'Change', 'Significance', 'Users', 'Previous users']
          .map((col, i) => h('th', {scope: 'col', class: i && i !== 4 ? 'num' : ''}, col)))),
      h('tbody', {}, report.steps.map((step, i) => {
        const cmp = step.comparison || {};
        return h('tr', {'data-testid': 'compare-row', 'data-step': i},
          h('th', {scope: 'row'}, `${i + 1}. ${stepLabel(step)}`),
          h('td', {class: 'num', 'data-col': 'conversion'}, fmt.percent(cmp.conversion_from_first)),
          h('td', {class: 'num', 'data-col': 'previous-conversion'}, fmt.percent(cmp.previous_conversion_from_first)),
          h('td', {class: 'num', 'data-col': 'difference'}, i ? fmt.points(cmp.difference) : '–'),
          h('td', {class: 'significance', 'data-col': 'significance'}, significanceBadge(significanceOf(cmp))),
          h('td', {class: 'num', 'data-col': 'users'}, fmt.count(step.users)),
          h('td', {class: 'num', 'data-col': 'previous-users'}, fmt.count(cmp.previous_users)));
      })))));
}

/** A breakdown cell's mark when the group differs significantly from the rest at that step. */
function groupMark(step) {
  const verdict = significanceOf(step.comparison, true);
  if (!verdict || verdict.kind !== 'significant') return null;
  return h('span', {class: 'sig-mark', 'data-testid': 'group-significant', title: `${verdict.label} against the other groups (${verdict.detail})`},
    h('span', {'aria-hidden': 'true'}, ' ✱'),
    h('span', {class: 'visually-hidden'}, ` ${verdict.label.toLowerCase()} against the other groups`));
}

function breakdownSection(report, property, select) {
  const groups = report.breakdowns || [];
  if (!groups.length) {
    return h('section', {class: 'card'}, h('h2', {}, `By ${property}`),
      h('p', {class: 'muted'}, `No users entered the funnel with a value for "${property}" in this range.`));
  }
  const chartBox = h('div', {class: 'chart-box'});
  const steps = groups[0].steps;
  const stop = responsive(chartBox, (w) => chartBox.replaceChildren(groupedChart(groups, w, {onSelect: select, unit: unitOf(report.count_by)})));
  const section = h('section', {class: 'card', 'data-testid': 'breakdown'},
    h('h2', {}, `Conversion by ${property}`),
    h('p', {class: 'muted'}, 'Bar height: share of the value\'s step-1 users that reached the step. Click a bar or a number for its people.'),
    h('ul', {class: 'legend', 'data-testid': 'legend'}, groups.map((g, k) => h('li', {},
      h('span', {class: 'swatch', 'aria-hidden': 'true', dataset: {colour: groupColour(g, k)}}),
      `${groupLabel(g)} (${fmt.count(g.steps[0].users)})`))),
    chartBox,
    h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'breakdown-table'},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, property),
        steps.map((st, i) => h('th', {scope: 'col', class: 'num'}, `${i + 1}. ${stepLabel(st)}`)),
        h('th', {scope: 'col', class: 'num'}, 'Converted'))),
      h('tbody', {}, groups.map((g) => h('tr', {'data-testid': 'breakdown-row'},
        h('th', {scope: 'row'}, groupLabel(g)),
        g.steps.map((st, i) => h('td', {class: 'num'},
          countButton(st.users, `List the ${fmt.count(st.users)} people of ${groupLabel(g)} at step ${i + 1}`, () => select({step: i, status: 'reached', group: g})),
          i ? ` (${fmt.percent(st.conversion_from_first)})` : '', i ? groupMark(st) : null)),
        h('td', {class: 'num'}, fmt.percent(g.steps[g.steps.length - 1].conversion_from_first))))))),
    report.compare ? h('p', {class: 'muted', 'data-testid': 'group-key'},
      '✱ converts significantly differently from the other groups at that step (p < 0.05 after the Benjamini-Hochberg adjustment across the groups). ',
      'Groups with fewer than 30 users, or fewer than 30 in the rest, are not tested.') : null);
  // Swatch colours come from data, so set them through the CSSOM (allowed by the CSP).
  section.querySelectorAll('.swatch').forEach((el) => { el.style.backgroundColor = el.dataset.colour; });
  section.stop = stop;
  return section;
}

function trendSection(report, interval, select) {
  const points = report.trends || [];
  if (!points.length) {
    return h('section', {class: 'card'}, h('h2', {}, 'Trend'), h('p', {class: 'muted'}, 'No entries in this range.'));
  }
  const chartBox = h('div', {class: 'chart-box'});
  const stop = responsive(chartBox, (w) => chartBox.replaceChildren(trendChart(points, w, interval, {onSelect: select})));
  const section = h('section', {class: 'card', 'data-testid': 'trend'},
    h('h2', {}, `Conversion by entry ${interval}`),
    h('p', {class: 'muted'}, 'Users who entered in the period and reached the last step. Click a point for the people who completed.'),
    chartBox,
    h('details', {}, h('summary', {}, 'Numbers'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'trend-table'},
        h('thead', {}, h('tr', {}, ['Period', 'Entered', 'Completed', 'Conversion'].map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
        h('tbody', {}, points.map((p) => h('tr', {},
          h('th', {scope: 'row'}, p.period),
          h('td', {class: 'num'}, countButton(p.entered, `List the ${fmt.count(p.entered)} people who entered in ${p.period}`, () => select({period: p.period}))),
          h('td', {class: 'num'}, countButton(p.completed, `List the ${fmt.count(p.completed)} people who entered in ${p.period} and completed`, () => select({period: p.period, completed: true}))),
          h('td', {class: 'num'}, fmt.percent(p.conversion_rate)))))))));
  section.stop = stop;
  return section;
}

/** A saved funnel's report: chart, numbers, breakdown, trend and how fresh it is. */
export async function reportView(main, ctx, appId, funnelId) {
  ctx.rememberApp(appId);
  const base = `/api/v1/apps/${appId}/funnels/${funnelId}`;
  const [funnel, cohorts] = await Promise.all([get(base), appCohorts(appId).catch(() => null)]);
  if (!ctx.alive()) return undefined;
  const restriction = cohortsText(funnel, cohorts);
  ctx.title(funnel.name);
  const flash = ctx.takeFlash();

  const savedFrom = funnel.from ? funnel.from.slice(0, 10) : '';
  const savedTo = funnel.to ? previousDay(funnel.to) : '';
  const from = h('input', {type: 'date', id: 'r-from', value: savedFrom});
  const to = h('input', {type: 'date', id: 'r-to', value: savedTo});
  const breakdown = h('input', {id: 'r-breakdown', list: 'property-names', value: funnel.breakdown || '', placeholder: 'none', autocomplete: 'off'});
  const interval = h('select', {id: 'r-interval'},
    [['', 'Off'], ['day', 'By day'], ['week', 'By week']].map(([v, label]) => h('option', {value: v, selected: (funnel.interval || '') === v}, label)));
  const mode = h('select', {id: 'r-mode'},
    ['ordered', 'strict', 'unordered'].map((v) => h('option', {value: v, selected: funnel.order === v}, v === funnel.order ? `${v} (saved)` : v)));
  const compare = h('input', {type: 'checkbox', id: 'r-compare', 'aria-describedby': 'r-compare-hint'});
  const refresh = h('button', {type: 'button', class: 'button', id: 'r-refresh'}, 'Refresh');
  const datalist = h('datalist', {id: 'property-names'});
  propertyNames(appId).then((names) => datalist.replaceChildren(...names.map((n) => h('option', {value: n}))));

  const freshness = h('p', {class: 'freshness', 'data-testid': 'freshness', 'aria-live': 'off'});
  const status = h('div', {'aria-live': 'polite'});
  const results = h('div', {class: 'results'});
  let report = null;
  let stops = [];

  let panel = null;
  // What the shown report was computed with (the inputs may have changed since).
  let reportParams = '';
  let shown = {breakdown: '', interval: ''};

  function closePanel(returnFocus) {
    if (!panel) return;
    const origin = panel.origin;
    panel.remove();
    panel = null;
    if (returnFocus && origin && origin.isConnected) origin.focus();
  }

  /** Opens the people of a cell below the section it was chosen in. */
  function openPanel(cell, section) {
    const origin = document.activeElement;
    closePanel(false);
    if (cell.period !== undefined) {
      cell = {step: cell.completed ? report.steps.length - 1 : 0, status: 'reached', period: cell.period};
    }
    const context = {steps: report.steps, breakdown: shown.breakdown, interval: shown.interval, report, funnelName: funnel.name, countBy: funnel.count_by};
    // A cohort of the cell: the server lists it itself, from the same funnel, cell and parameters.
    // A cohort holds people, so an account-level funnel's cells (accounts) cannot be one.
    const actions = cohorts && !funnel.count_by && ctx.can('funnels:write') ? () => saveAsCohort(appId,
      {funnel_id: funnelId, ...cellParamsOf(cell), ...Object.fromEntries(new URLSearchParams(reportParams))},
      `${funnel.name}: ${describeCell(cell, null, context).replace(/^.*? (people|person) /, '')}`) : null;
    panel = peoplePanel(ctx, {appId, funnelId, params: reportParams}, cell, context, {onClose: () => closePanel(true), actions});
    panel.origin = origin;
    section.after(panel);
    panel.scrollIntoView({block: 'nearest'});
    panel.focusHeading();
  }

  function params() {
    const q = new URLSearchParams();
    if (from.value !== savedFrom) q.set('from', from.value ? `${from.value}T00:00:00Z` : '');
    if (to.value !== savedTo) q.set('to', to.value ? `${nextDay(to.value)}T00:00:00Z` : '');
    if (breakdown.value.trim() !== (funnel.breakdown || '')) q.set('breakdown', breakdown.value.trim());
    if (interval.value !== (funnel.interval || '')) q.set('interval', interval.value);
    if (mode.value !== funnel.order) q.set('mode', mode.value);
    const text = q.toString();
    return text ? `?${text}` : '';
  }

  async function load() {
    status.replaceChildren(h('p', {class: 'muted'}, 'Computing…'));
    const asked = params();
    const askedFor = {breakdown: breakdown.value.trim(), interval: interval.value};
    // compare changes the report only: the people of a cell are this period's.
    const withCompare = compare.checked ? `${asked ? `${asked}&` : '?'}compare=previous` : asked;
    try {
      report = await get(`${base}/report${withCompare}`);
    } catch (err) {
      if (!ctx.alive()) return;
      const details = err.violations.map((v) => `${v.field}: ${v.message}`);
      status.replaceChildren(h('div', {class: 'error-box', role: 'alert', 'data-testid': 'report-error'},
        h('strong', {}, err.message), details.length > 1 ? h('ul', {}, details.map((d) => h('li', {}, d))) : null));
      return;
    }
    if (!ctx.alive()) return;
    status.replaceChildren();
    closePanel(false);
    reportParams = asked.replace(/^\?/, '');
    shown = askedFor;
    stops.forEach((stop) => stop());
    stops = [];
    const place = {};
    const selectIn = (key) => (cell) => openPanel(cell, place[key]);
    freshness.textContent = freshnessText(report);
    const chartBox = h('div', {class: 'chart-box'});
    const countBy = report.count_by || funnel.count_by;
    const unit = unitOf(countBy);
    stops.push(responsive(chartBox, (w) => chartBox.replaceChildren(funnelChart(report.steps, w, {onSelect: selectIn('conversion'), definition: funnel, unit}))));
    const sections = [h('section', {class: 'card'},
      h('h2', {}, 'Conversion'),
      countBy ? h('p', {class: 'count-by-note', 'data-testid': 'count-by-note'}, countByText(countBy)) : null,
      h('p', {class: 'muted chart-key'},
        h('span', {class: 'key-item'}, h('span', {class: 'key-bar', 'aria-hidden': 'true'}), `${unit.many} at the step`),
        h('span', {class: 'key-item'}, h('span', {class: 'key-ghost', 'aria-hidden': 'true'}), 'dropped off since the previous step'),
        h('span', {class: 'key-item'}, h('span', {class: 'key-pill', 'aria-hidden': 'true'}, '40%→'), 'reached from the previous step'),
        h('span', {class: 'key-item'}, `Hover or focus a bar for times to convert; click it (or press Enter) for its ${unit.property ? unit.listed : 'people'}.`)),
      chartBox, reportDownloads(report, funnel.name, askedFor.breakdown, chartBox),
      stepsTable(report.steps, selectIn('conversion'), {definition: funnel, unit}))];
    place.conversion = sections[0];
    sections.push(timingSection(report, funnel.name));
    if (report.compare) sections.push(compareSection(report));
    if (askedFor.breakdown) {
      place.breakdown = breakdownSection(report, askedFor.breakdown, selectIn('breakdown'));
      sections.push(place.breakdown);
    }
    if (askedFor.interval) {
      place.trend = trendSection(report, askedFor.interval, selectIn('trend'));
      sections.push(place.trend);
    }
    sections.forEach((sct) => { if (sct.stop) stops.push(sct.stop); });
    results.replaceChildren(...sections);
  }

  // Share links of this report: a panel under the heading, opened and closed by the button.
  const shareSlot = h('div');
  const shareButton = h('button', {type: 'button', class: 'button', 'data-testid': 'share-funnel', 'aria-expanded': 'false'}, 'Share');
  const closeShare = () => {
    shareSlot.replaceChildren();
    shareButton.setAttribute('aria-expanded', 'false');
    shareButton.focus();
  };
  shareButton.addEventListener('click', () => {
    if (shareSlot.firstChild) {
      closeShare();
      return;
    }
    shareSlot.replaceChildren(sharePanel(appId, funnelId, {onClose: closeShare}));
    shareButton.setAttribute('aria-expanded', 'true');
  });

  for (const control of [from, to, interval, mode, compare]) control.addEventListener('change', load);
  breakdown.addEventListener('change', load);
  refresh.addEventListener('click', load);

  mount(main,
    h('div', {class: 'page-head'},
      h('div', {}, h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Apps'), ' / ', `app ${appId}`),
        h('h1', {'data-testid': 'funnel-title'}, funnel.name),
        h('p', {class: 'muted'}, `${funnelSummary(funnel)} · version ${funnel.version}`),
        restriction ? h('p', {class: 'muted', 'data-testid': 'funnel-cohorts'}, `Counts ${restriction}.`) : null),
      h('div', {class: 'actions'},
        ctx.can('funnels:write') ? h('a', {class: 'button', href: `#/apps/${appId}/funnels/${funnelId}/edit`, 'data-testid': 'edit-funnel'}, 'Edit') : null,
        ctx.can('funnels:write') ? shareButton : null,
        refresh)),
    shareSlot,
    flash ? h('p', {class: 'notice', role: 'status', 'data-testid': 'flash'}, flash) : null,
    freshness,
    h('form', {class: 'controls card', onsubmit: (e) => { e.preventDefault(); load(); }},
      field('Entered from', from),
      field('through', to),
      field('Breakdown by property', breakdown),
      field('Trend', interval),
      field('Order', mode),
      h('div', {class: 'field toggle-field'},
        h('label', {class: 'toggle', for: 'r-compare'}, compare, ' Compare with previous period'),
        h('p', {class: 'hint', id: 'r-compare-hint'}, 'Needs both dates: the same number of days just before.')),
      datalist),
    status,
    results);
  await load();
  const ticker = setInterval(() => { if (report) freshness.textContent = freshnessText(report); }, 1000);
  return () => {
    clearInterval(ticker);
    stops.forEach((stop) => stop());
  };
}
