// The people behind a number of a funnel report: a panel listing one cell's actors (a step reached
// or dropped at, a breakdown group, a trend period), page by page, with a CSV download of all of them.

import {h} from '../dom.js';
import {get, post, download, saveBlob} from '../api.js';
import * as fmt from '../format.js';
import {funnelPersonHash, personHash} from './person.js';
import {stepLabel, unitOf, units} from '../steps.js';

const PAGE_SIZE = 50;

/** "1 person", "412 people"; with a count_by property "1 account (company_id value)", ... */
export function people(n, countBy = null) {
  const unit = unitOf(countBy);
  if (unit.property) return `${units(n, unit)} (${unit.property} ${n === 1 ? 'value' : 'values'})`;
  return n === 1 ? '1 person' : `${fmt.count(n)} people`;
}

function stepName(steps, k) {
  return `step ${k + 1} “${stepLabel(steps[k])}”`;
}

/**
 * What a cell holds, in words: "412 people reached step 3 “checkout”", "80 people reached step 1
 * “visit” but not step 2 “signup”", "... with source “ads”", "... who entered on 2026-01-05".
 * `cell`: {step, status, group?, period?}; `steps`: the report's steps; `breakdown` the property.
 */
export function describeCell(cell, n, {steps, breakdown, interval, countBy}) {
  const last = steps.length - 1;
  const who = (k) => people(k, countBy);
  let text;
  if (cell.period !== undefined) {
    const when = interval === 'week' ? `in the week of ${cell.period}` : `on ${cell.period}`;
    text = cell.step === 0
      ? `${who(n)} entered the funnel ${when}`
      : `${who(n)} who entered ${when} ${cell.step === last ? 'completed the funnel' : 'reached'} (${stepName(steps, cell.step)})`;
    return text;
  }
  if (cell.status === 'dropped') {
    text = `${who(n)} reached ${stepName(steps, cell.step - 1)} but not ${stepName(steps, cell.step)}`;
  } else if (cell.step === 0) {
    text = `${who(n)} entered the funnel (${stepName(steps, 0)})`;
  } else {
    text = `${who(n)} reached ${stepName(steps, cell.step)}`;
  }
  if (cell.group) {
    if (cell.group.other) text += `, with a value of ${breakdown} other than the top values`;
    else if (cell.group.value === null || cell.group.value === undefined) text += `, without a value for ${breakdown}`;
    else text += `, with ${breakdown} “${cell.group.value}”`;
  }
  return text;
}

/** The report's number for a cell (what the panel's total should be, at the report's watermark). */
export function reportNumber(cell, report) {
  if (cell.period !== undefined) {
    const point = (report.trends || []).find((p) => p.period === cell.period);
    if (!point) return 0;
    return cell.step === 0 ? point.entered : point.completed;
  }
  const steps = cell.group ? cell.group.steps : report.steps;
  const step = steps[cell.step];
  return cell.status === 'dropped' ? step.drop_off : step.users;
}

/** The cell's own parameters of an actors call. */
export function cellParams(cell) {
  const p = {step: cell.step, status: cell.status || 'reached'};
  if (cell.group) {
    if (cell.group.other) p.breakdown_other = true;
    else if (cell.group.value === null || cell.group.value === undefined) p.breakdown_not_set = true;
    else p.breakdown_value = String(cell.group.value);
  }
  if (cell.period !== undefined) p.period = cell.period;
  return p;
}

function fileName(funnelName, cell) {
  const slug = (funnelName || 'funnel').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'funnel';
  const parts = [slug, `step-${cell.step + 1}`, cell.status || 'reached'];
  if (cell.group) {
    if (cell.group.other) parts.push('other');
    else if (cell.group.value === null || cell.group.value === undefined) parts.push('not-set');
    else parts.push(String(cell.group.value).toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40));
  }
  if (cell.period !== undefined) parts.push(cell.period);
  return `${parts.filter(Boolean).join('-')}.csv`;
}

/**
 * Where the actors come from: a saved funnel (GET with the report's parameters) or an unsaved
 * definition (POST with it in the body).
 */
function actorsSource({appId, funnelId, params, definition}) {
  if (funnelId) {
    const url = (extra) => {
      const q = new URLSearchParams(params);
      for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) q.set(k, String(v));
      return `/api/v1/apps/${appId}/funnels/${funnelId}/actors?${q}`;
    };
    return {
      page: (extra) => get(url(extra)),
      csv: (extra) => download('GET', url(extra)),
    };
  }
  const body = (extra) => ({definition, ...extra});
  return {
    page: (extra) => post(`/api/v1/apps/${appId}/funnels/report/actors`, body(extra)),
    csv: (extra) => download('POST', `/api/v1/apps/${appId}/funnels/report/actors`, body(extra)),
  };
}

function actorRow(actor, steps, personLink) {
  const times = actor.step_times || [];
  return h('tr', {'data-testid': 'person-row', 'data-identifier': actor.user_identifier},
    h('th', {scope: 'row', 'data-col': 'identifier', class: 'wrap'},
      personLink ? h('a', {href: personLink(actor.user_identifier), 'data-testid': 'person-link'}, actor.user_identifier) : actor.user_identifier),
    h('td', {'data-col': 'entered'}, fmt.dateTime(actor.entered_at)),
    h('td', {'data-col': 'reached'}, `${actor.reached_step + 1}. ${stepLabel(steps[actor.reached_step])}`),
    steps.slice(1).map((st, i) => {
      const k = i + 1;
      if (k >= times.length) return h('td', {class: 'num muted', 'data-col': `step-${k}`}, '–');
      const seconds = (Date.parse(times[k]) - Date.parse(times[k - 1])) / 1000;
      return h('td', {class: 'num', 'data-col': `step-${k}`, title: fmt.dateTime(times[k])}, fmt.duration(seconds));
    }));
}

/**
 * The people panel of one cell. `source`: {appId, funnelId, params} of a saved funnel's report
 * (params: the report's own query parameters) or {appId, definition} of an unsaved one. `context`:
 * {steps, breakdown, interval, report, funnelName, countBy}: with countBy the cell's actors are
 * accounts (the values of that property), listed without links to person pages. `actions()` may add a {control, body} (save as
 * cohort): the control beside "Download CSV", the body below them.
 */
export function peoplePanel(ctx, source, cell, context, {onClose, actions} = {}) {
  const {steps} = context;
  const api = actorsSource(source);
  const expected = context.report ? reportNumber(cell, context.report) : null;
  const unit = unitOf(context.countBy);
  const countBy = unit.property ? context.countBy : null;
  const heading = h('h2', {tabindex: '-1', 'data-testid': 'people-title'}, countBy ? `${unit.title}: ${unit.listed}` : 'People');
  const summary = h('p', {class: 'lead', 'data-testid': 'people-summary'}, describeCell(cell, expected ?? 0, context));
  const totalEl = h('span', {class: 'stat-value', 'data-testid': 'people-total'}, '…');
  const note = h('p', {class: 'muted', 'data-testid': 'people-note'});
  const shown = h('p', {class: 'muted', 'data-testid': 'people-shown'});
  const rows = h('tbody', {});
  const status = h('div', {'aria-live': 'polite'});
  const more = h('button', {type: 'button', class: 'button', 'data-testid': 'people-more', hidden: true}, 'Show more');
  const csv = h('button', {type: 'button', class: 'button', 'data-testid': 'people-csv'}, 'Download CSV');
  const close = h('button', {type: 'button', class: 'button subtle', 'data-testid': 'people-close', 'aria-label': `Close the ${countBy ? 'account' : 'people'} list`}, 'Close');
  // An account is a property value, not a person: it has no person page.
  const personLink = countBy ? null : source.funnelId
    ? (id) => funnelPersonHash(source.appId, source.funnelId, id, source.params)
    : (id) => personHash(source.appId, id);
  let next = null;
  let count = 0;
  let total = null;

  const table = h('div', {class: 'table-wrap tall'}, h('table', {class: 'data people-table', 'data-testid': 'people-table'},
    h('caption', {class: 'visually-hidden'}, `The ${countBy ? 'accounts' : 'people'} of this cell, with the time each step took`),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, countBy ? countBy.property : 'Person'), h('th', {scope: 'col'}, 'Entered at'), h('th', {scope: 'col'}, 'Reached'),
      steps.slice(1).map((st, i) => h('th', {scope: 'col', class: 'num', title: `Time from step ${i + 1} to step ${i + 2}`},
        `→ ${i + 2}. ${stepLabel(st)}`)))),
    rows));

  function add(page) {
    rows.append(...page.actors.map((a) => actorRow(a, steps, personLink)));
    count += page.actors.length;
    next = page.next_cursor;
    more.hidden = !next;
    if (total === null) {
      total = page.total;
      totalEl.textContent = fmt.count(total);
      summary.textContent = describeCell(cell, total, context);
      const mark = page.watermark || {};
      const parts = [`As of ${fmt.count(mark.events)} events, identity version ${fmt.count(mark.identity_version)}`, `listed ${fmt.ago(page.computed_at)}`];
      if (expected !== null && expected !== total) {
        parts.push(`the report showed ${fmt.count(expected)}: events or identifies loaded since changed it; refresh the report to compare`);
      }
      note.textContent = parts.join(' · ');
      csv.disabled = total === 0;
    }
    shown.textContent = total ? `Showing ${fmt.count(count)} of ${fmt.count(total)}` : 'Nobody is in this cell.';
    table.hidden = total === 0;
  }

  async function load(cursor) {
    more.disabled = true;
    status.replaceChildren();
    try {
      const page = await api.page({...cellParams(cell), limit: PAGE_SIZE, cursor: cursor || undefined});
      if (ctx.alive()) add(page);
    } catch (err) {
      if (ctx.alive()) status.replaceChildren(h('p', {class: 'error-box', role: 'alert', 'data-testid': 'people-error'}, err.message));
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', () => load(next));
  csv.addEventListener('click', async () => {
    csv.disabled = true;
    status.replaceChildren(h('p', {class: 'muted'}, 'Preparing the CSV…'));
    try {
      const file = await api.csv(cellParams(cell));
      saveBlob(file.blob, fileName(context.funnelName, cell));
      const rowsInFile = file.headers.get('X-Tracetics-Total');
      status.replaceChildren(h('p', {class: 'muted', 'data-testid': 'people-csv-done'},
        `Downloaded ${rowsInFile === null ? 'the list' : people(Number(rowsInFile), countBy)} as CSV.`));
    } catch (err) {
      status.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, `The CSV could not be made: ${err.message}`));
    } finally {
      csv.disabled = false;
    }
  });

  const extra = actions ? actions() : null;
  const panel = h('section', {class: 'card people-panel', 'data-testid': 'people-panel', 'aria-labelledby': 'people-heading'},
    h('div', {class: 'card-head'}, heading, close),
    summary,
    h('div', {class: 'people-head'},
      h('div', {class: 'stat'}, h('div', {class: 'stat-label'}, 'Total'), totalEl),
      h('div', {class: 'actions'}, csv, extra ? extra.control : null)),
    extra ? extra.body : null,
    note,
    shown,
    table,
    status,
    h('div', {class: 'actions'}, more));
  heading.id = 'people-heading';
  close.addEventListener('click', () => onClose && onClose());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && onClose) {
      e.preventDefault();
      onClose();
    }
  });
  panel.focusHeading = () => heading.focus();
  load(null);
  return panel;
}
