// The page of a share link (/s/<token>): one funnel's report, read-only and without signing in,
// drawn with the dashboard's own charts. It reads only /api/v1/shared/<token>/report (no token of
// the tenant exists here); bars show their numbers but open nobody's list. `?embed=1` drops the
// page's header for a frame.

import {h, mount} from './dom.js';
import * as fmt from './format.js';
import {nextDay, previousDay} from './format.js';
import {funnelChart, groupedChart, trendChart, responsive, groupColour, groupLabel} from './charts.js';
import {stepLabel, withinText, unitOf, countByText} from './steps.js';

const main = document.getElementById('main');
const token = decodeURIComponent(location.pathname.split('/')[2] || '');
const embedded = new URLSearchParams(location.search).get('embed') === '1';
if (embedded) document.body.classList.add('embed');

/** The shared report with these parameters: {ok, status, data, retryAfter}. */
async function fetchReport(params) {
  const query = params.toString();
  let response;
  try {
    response = await fetch(`/api/v1/shared/${encodeURIComponent(token)}/report${query ? `?${query}` : ''}`, {
      headers: {Accept: 'application/json'}, cache: 'no-store', credentials: 'omit',
    });
  } catch (e) {
    return {ok: false, status: 0, data: {message: 'The server cannot be reached.'}};
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = {message: `Unexpected answer (HTTP ${response.status})`};
  }
  return {ok: response.ok, status: response.status, data, retryAfter: response.headers.get('Retry-After')};
}

function freshness(report) {
  const parts = [`Computed ${fmt.ago(report.computed_at)}`];
  parts.push(report.data_through ? `events up to ${fmt.dateTime(report.data_through)}` : 'no events loaded yet');
  return parts.join(' · ');
}

function stepsTable(steps, definition, unit) {
  const defSteps = definition.steps || [];
  return h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'steps-table'},
    h('caption', {class: 'visually-hidden'}, `${unit.title} and conversion per step`),
    h('thead', {}, h('tr', {},
      ['Step', unit.title, 'Of step 1', 'Of previous', 'Dropped off', 'Median time']
        .map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
    h('tbody', {}, steps.map((step, i) => {
      const within = i > 0 && defSteps[i] && defSteps[i].within_seconds;
      const t = step.time_to_convert || {};
      return h('tr', {'data-testid': 'step-row', 'data-step': i},
        h('th', {scope: 'row'}, `${i + 1}. ${stepLabel(step)}`,
          within ? h('span', {class: 'muted step-limit-text'}, ` · ${withinText(within)} of step ${i}`) : null),
        h('td', {class: 'num', 'data-col': 'users'}, fmt.count(step.users)),
        h('td', {class: 'num', 'data-col': 'from-first'}, fmt.percent(step.conversion_from_first)),
        h('td', {class: 'num', 'data-col': 'from-previous'}, i ? fmt.percent(step.conversion_from_previous) : '–'),
        h('td', {class: 'num', 'data-col': 'drop-off'}, i ? fmt.count(step.drop_off) : '–'),
        h('td', {class: 'num', 'data-col': 'median'}, i ? fmt.duration(t.median_seconds) : '–'));
    }))));
}

function breakdownSection(report, property, unit, stops) {
  const groups = report.breakdowns || [];
  if (!groups.length) {
    return h('section', {class: 'card'}, h('h2', {}, `By ${property}`),
      h('p', {class: 'muted'}, `Nobody entered the funnel with a value for "${property}" in this range.`));
  }
  const box = h('div', {class: 'chart-box'});
  stops.push(responsive(box, (w) => box.replaceChildren(groupedChart(groups, w, {unit}))));
  const section = h('section', {class: 'card', 'data-testid': 'breakdown'},
    h('h2', {}, `Conversion by ${property}`),
    h('ul', {class: 'legend'}, groups.map((g, k) => h('li', {},
      h('span', {class: 'swatch', 'aria-hidden': 'true', dataset: {colour: groupColour(g, k)}}),
      `${groupLabel(g)} (${fmt.count(g.steps[0].users)})`))),
    box,
    h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'breakdown-table'},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, property),
        groups[0].steps.map((st, i) => h('th', {scope: 'col', class: 'num'}, `${i + 1}. ${stepLabel(st)}`)))),
      h('tbody', {}, groups.map((g) => h('tr', {'data-testid': 'breakdown-row'}, h('th', {scope: 'row'}, groupLabel(g)),
        g.steps.map((st, i) => h('td', {class: 'num'}, fmt.count(st.users), i ? ` (${fmt.percent(st.conversion_from_first)})` : ''))))))));
  section.querySelectorAll('.swatch').forEach((el) => { el.style.backgroundColor = el.dataset.colour; });
  return section;
}

function trendSection(report, interval, stops) {
  const points = report.trends || [];
  if (!points.length) {
    return h('section', {class: 'card'}, h('h2', {}, 'Trend'), h('p', {class: 'muted'}, 'No entries in this range.'));
  }
  const box = h('div', {class: 'chart-box'});
  stops.push(responsive(box, (w) => box.replaceChildren(trendChart(points, w, interval, {}))));
  return h('section', {class: 'card', 'data-testid': 'trend'}, h('h2', {}, `Conversion by entry ${interval}`), box);
}

/** The controls of the parameters this link lets its viewers change, set to the report's own. */
function controls(allowed, shown, onChange) {
  const fields = [];
  const inputs = {};
  const labelled = (label, control) => h('div', {class: 'field'}, h('label', {for: control.id}, label), control);
  if (allowed.includes('from')) {
    inputs.from = h('input', {type: 'date', id: 's-from', value: shown.from ? shown.from.slice(0, 10) : ''});
    fields.push(labelled('Entered from', inputs.from));
  }
  if (allowed.includes('to')) {
    inputs.to = h('input', {type: 'date', id: 's-to', value: shown.to ? previousDay(shown.to) : ''});
    fields.push(labelled('through', inputs.to));
  }
  if (allowed.includes('breakdown')) {
    inputs.breakdown = h('input', {id: 's-breakdown', value: shown.breakdown || '', placeholder: 'none', autocomplete: 'off'});
    fields.push(labelled('Breakdown by property', inputs.breakdown));
  }
  if (allowed.includes('interval')) {
    inputs.interval = h('select', {id: 's-interval'},
      [['', 'Off'], ['day', 'By day'], ['week', 'By week']].map(([v, label]) => h('option', {value: v, selected: (shown.interval || '') === v}, label)));
    fields.push(labelled('Trend', inputs.interval));
  }
  if (allowed.includes('mode')) {
    inputs.mode = h('select', {id: 's-mode'},
      ['ordered', 'strict', 'unordered'].map((v) => h('option', {value: v, selected: shown.mode === v}, v)));
    fields.push(labelled('Order', inputs.mode));
  }
  if (!fields.length) return null;
  const initial = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
  const read = () => {
    const q = new URLSearchParams();
    for (const [name, el] of Object.entries(inputs)) {
      if (el.value === initial[name]) continue;
      if (name === 'from') q.set('from', el.value ? `${el.value}T00:00:00Z` : '');
      else if (name === 'to') q.set('to', el.value ? `${nextDay(el.value)}T00:00:00Z` : '');
      else q.set(name, el.value.trim());
    }
    return q;
  };
  Object.values(inputs).forEach((el) => el.addEventListener('change', () => onChange(read())));
  return h('form', {class: 'controls card', 'data-testid': 'shared-controls', onsubmit: (e) => { e.preventDefault(); onChange(read()); }}, fields);
}

function notFound() {
  document.title = 'Not found · Tracetics';
  mount(main, h('section', {class: 'card', 'data-testid': 'shared-not-found'}, h('h1', {}, 'Not found'),
    h('p', {}, 'This shared report does not exist, or is no longer shared.')));
}

async function start() {
  const first = await fetchReport(new URLSearchParams());
  if (!first.ok) {
    if (first.status === 404) notFound();
    else mount(main, h('p', {class: 'error-box', role: 'alert'}, first.data.message || 'The report cannot be shown.'));
    return;
  }
  const {funnel, allowed_parameters: allowed} = first.data;
  document.title = `${funnel.name} · Tracetics`;
  const status = h('div', {'aria-live': 'polite', 'data-testid': 'shared-status'});
  const fresh = h('p', {class: 'freshness', 'data-testid': 'freshness'});
  const results = h('div', {class: 'results'});
  let stops = [];
  let current = first.data;

  function draw(data) {
    current = data;
    const {report, parameters} = data;
    stops.forEach((stop) => stop());
    stops = [];
    fresh.textContent = freshness(report);
    const unit = unitOf(report.count_by);
    const box = h('div', {class: 'chart-box'});
    stops.push(responsive(box, (w) => box.replaceChildren(funnelChart(report.steps, w, {definition: funnel, unit}))));
    const sections = [h('section', {class: 'card'}, h('h2', {}, 'Conversion'),
      report.count_by ? h('p', {class: 'count-by-note'}, countByText(report.count_by)) : null,
      box, stepsTable(report.steps, funnel, unit))];
    if (parameters.breakdown) sections.push(breakdownSection(report, parameters.breakdown, unit, stops));
    if (parameters.interval) sections.push(trendSection(report, parameters.interval, stops));
    results.replaceChildren(...sections);
  }

  async function reload(params) {
    status.replaceChildren(h('p', {class: 'muted'}, 'Computing…'));
    const answer = await fetchReport(params);
    if (!answer.ok) {
      if (answer.status === 404) {
        notFound();
        return;
      }
      const wait = answer.status === 429 && answer.retryAfter ? ` Try again in ${answer.retryAfter} s.` : '';
      status.replaceChildren(h('p', {class: 'error-box', role: 'alert', 'data-testid': 'shared-error'}, `${answer.data.message || 'The report cannot be computed.'}${wait}`));
      return;
    }
    status.replaceChildren();
    draw(answer.data);
  }

  const parts = first.data.parameters;
  const range = parts.from && parts.to ? ` · entered ${parts.from.slice(0, 10)} – ${previousDay(parts.to)}` : '';
  mount(main,
    h('div', {class: 'page-head'}, h('div', {},
      h('h1', {'data-testid': 'funnel-title'}, funnel.name),
      h('p', {class: 'muted'}, `${funnel.steps.length} steps${range}`))),
    fresh,
    controls(allowed, parts, reload),
    status,
    results);
  draw(first.data);
  setInterval(() => { fresh.textContent = freshness(current.report); }, 30000);
}

start();
