import {h, mount, field} from '../dom.js';
import {get} from '../api.js';
import * as fmt from '../format.js';
import {definitionStepLabel, eventNamesText} from '../steps.js';

const PAGE_SIZE = 50;

/** The dashboard's address of a person: the identifier travels encoded in the hash. */
export function personHash(appId, identifier) {
  return `#/apps/${appId}/people/${encodeURIComponent(identifier)}`;
}

/** Report parameters that change a person's trace (the range and the order mode). */
const TRACE_PARAMS = ['from', 'to', 'mode'];

/**
 * The person page with a funnel in context: the report's range and mode travel in a segment
 * before the identifier (which comes last because it may hold any character, a slash too).
 */
export function funnelPersonHash(appId, funnelId, identifier, params) {
  const given = new URLSearchParams(params || '');
  const kept = new URLSearchParams();
  for (const key of TRACE_PARAMS) if (given.has(key)) kept.set(key, given.get(key));
  const segment = kept.toString();
  return `#/apps/${appId}/funnels/${funnelId}/${segment ? `${segment}/` : ''}people/${encodeURIComponent(identifier)}`;
}

/** An identifier the trace's path can carry (see personUrl), or null. */
function pathSafe(identifier) {
  return identifier !== '.' && identifier !== '..' && !/[/%\\\u0000-\u001f\u007f]/.test(identifier);
}

/**
 * The API's address of a person. The path form, except for identifiers a path cannot carry (the
 * server refuses an encoded /, % or \ or a control character, and browsers resolve . and ..
 * segments): those go in the query.
 */
export function personUrl(appId, identifier, params = {}) {
  const query = new URLSearchParams();
  const inPath = identifier !== '.' && identifier !== '..' && !/[/%\\\u0000-\u001f\u007f]/.test(identifier);
  let path = `/api/v1/apps/${appId}/persons`;
  if (inPath) path += `/${encodeURIComponent(identifier)}`;
  else query.set('identifier', identifier);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** "Look up a person by id": a form that opens the person page of what is typed. */
export function personSearch(ctx, appId, {value = '', label = 'Look up a person by id'} = {}) {
  const input = h('input', {
    type: 'search', value, autocomplete: 'off', spellcheck: 'false', maxlength: 255,
    placeholder: 'user id or anonymous id', 'data-testid': 'person-search',
  });
  return h('form', {class: 'inline-form person-search', role: 'search', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    if (input.value.trim()) ctx.navigate(personHash(appId, input.value));
  }}, field(label, input), h('button', {type: 'submit', class: 'button', 'data-testid': 'person-search-go'}, 'Find'));
}

function traitValue(value) {
  if (value === null) return h('span', {class: 'null'}, 'null');
  if (typeof value === 'object') return h('code', {class: 'json'}, JSON.stringify(value));
  return String(value);
}

function traitsSection(traits) {
  const keys = traits ? Object.keys(traits) : [];
  return h('section', {class: 'card', 'data-testid': 'traits'},
    h('h2', {}, 'Traits'),
    keys.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'data kv', 'data-testid': 'traits-table'},
        h('caption', {class: 'visually-hidden'}, 'Traits of the person'),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Trait'), h('th', {scope: 'col'}, 'Value'))),
        h('tbody', {}, keys.map((key) => h('tr', {'data-testid': 'trait-row', 'data-key': key},
          h('th', {scope: 'row'}, key), h('td', {class: 'wrap'}, traitValue(traits[key])))))))
      : h('p', {class: 'muted'}, 'No traits set. Identify calls set them.'));
}

function identifiersSection(person) {
  return h('section', {class: 'card', 'data-testid': 'identifiers'},
    h('h2', {}, 'Identifiers'),
    h('ul', {class: 'identifier-list'}, person.identifiers.map((id, i) => h('li', {'data-testid': 'identifier'},
      h('code', {}, id), ' ', h('span', {class: 'muted'}, i === 0 ? 'the person' : 'alias')))));
}

function eventRow(event) {
  const metadata = event.metadata && Object.keys(event.metadata).length ? JSON.stringify(event.metadata) : '';
  return h('tr', {'data-testid': 'timeline-event', 'data-event-id': event.event_id},
    h('td', {'data-col': 'time'}, fmt.dateTime(event.event_time)),
    h('th', {scope: 'row', 'data-col': 'event'}, event.event_name),
    h('td', {'data-col': 'identifier'}, event.user_identifier),
    h('td', {class: 'json', 'data-col': 'metadata', title: metadata}, metadata));
}

function quoted(value) {
  return value === null || value === undefined ? 'not set' : `“${value}”`;
}

const OP_WORDS = {
  eq: 'equal to', neq: 'other than', in: 'one of', contains: 'containing', gt: 'greater than',
  gte: 'at least', lt: 'less than', lte: 'at most', is_set: 'set', is_not_set: 'not set',
};

/** Why a candidate event did not take the step, in plain words (the API gives a code and facts). */
export function reasonText(c, stepLabel) {
  switch (c.reason) {
    case 'outside_window':
      return `Too late: ${fmt.duration(c.excess_seconds)} after the conversion window closed (${fmt.dateTime(c.window_end)}).`;
    case 'excluded_by': {
      const e = c.excluding_event || {};
      return `It took the step in an attempt that exclusion ${c.exclusion + 1} discarded: “${e.event_name}” at ${fmt.dateTime(e.time)} came in between.`;
    }
    case 'filter_mismatch': {
      const where = c.source === 'user' ? 'the person’s trait' : 'the event’s property';
      const wanted = c.op === 'is_set' || c.op === 'is_not_set'
        ? OP_WORDS[c.op] : `${OP_WORDS[c.op] || c.op} ${(c.values || []).map((v) => `“${v}”`).join(', ')}`;
      return `Filter not met: ${where} “${c.property}” is ${quoted(c.actual)}; ${stepLabel} needs it ${wanted}.`;
    }
    case 'strict_break': {
      const e = c.breaking_event || {};
      return `Strict order broken: “${e.event_name}” at ${fmt.dateTime(e.time)} came in between.`;
    }
    case 'hold_constant_mismatch':
      return `“${c.property}” must stay the same along the chain: it was ${quoted(c.expected)}, this event has ${quoted(c.actual)}.`;
    case 'outside_date_range':
      return `Outside the report’s date range (${c.from ? `from ${fmt.dateTime(c.from)}` : 'no start'}, ${c.to ? `before ${fmt.dateTime(c.to)}` : 'no end'}).`;
    case 'step_time_limit':
      return `Too late for the step’s time limit (${fmt.duration(c.within_seconds)} after the previous step): ${fmt.duration(c.excess_seconds)} after it ran out (${fmt.dateTime(c.limit_end)}).`;
    case 'before_previous_step':
      return `Too early: before the previous step of the chain (${fmt.dateTime(c.previous_step_time)}).`;
    case 'before_entry':
      return `Too early: before the attempt entered the funnel (${fmt.dateTime(c.entered_at)}).`;
    case 'used_by_chain':
      return `Already used by the chain for step ${c.used_by_step + 1}; one event fills one step.`;
    default:
      return c.reason;
  }
}

function traceBody(trace, funnel) {
  const steps = funnel.steps;
  const label = (k) => `step ${k + 1} “${steps[k] ? definitionStepLabel(steps[k]) : '?'}”`;
  const parts = [];
  if (!trace.chain.length) {
    parts.push(h('p', {'data-testid': 'trace-summary'}, `Never entered: no event that takes ${label(0)} counts for this report.`));
  } else {
    const done = trace.reached_step === steps.length - 1;
    parts.push(h('p', {'data-testid': 'trace-summary'}, done
      ? `Completed the funnel: entered at ${fmt.dateTime(trace.entered_at)}, reached every step.`
      : `Reached ${label(trace.reached_step)} of ${steps.length}: entered at ${fmt.dateTime(trace.entered_at)}.`));
    let previous = null;
    parts.push(h('ol', {class: 'trace-chain', 'data-testid': 'trace-chain'}, trace.chain.map((link) => {
      const since = previous === null ? null : (Date.parse(link.time) - previous) / 1000;
      previous = Date.parse(link.time);
      return h('li', {'data-testid': 'trace-link', 'data-step': link.step},
        h('span', {class: 'trace-dot', 'aria-hidden': 'true'}, String(link.step + 1)),
        h('span', {class: 'trace-what'}, h('strong', {}, label(link.step)), ': ', h('code', {}, link.event_name),
          h('span', {class: 'muted'}, ` event ${link.event_id}`,
            link.user_identifier && link.user_identifier !== trace.user_identifier ? `, sent as ${link.user_identifier}` : '')),
        h('span', {class: 'trace-when'}, fmt.dateTime(link.time), since === null ? '' : ` (+${fmt.duration(since)})`));
    })));
  }
  const next = trace.next_step;
  if (next) {
    const candidates = next.candidates || [];
    parts.push(h('h3', {}, `Why not ${label(next.step)}`));
    parts.push(candidates.length
      ? h('ul', {class: 'trace-candidates', 'data-testid': 'trace-candidates'}, candidates.map((c) => h('li', {'data-testid': 'trace-candidate', 'data-reason': c.reason},
        h('div', {}, h('code', {}, c.event_name), ' at ', fmt.dateTime(c.time), h('span', {class: 'muted'}, ` · event ${c.event_id}`)),
        h('div', {class: 'trace-reason'}, reasonText(c, label(next.step))))))
      : h('p', {class: 'muted', 'data-testid': 'trace-no-candidates'},
        `No ${eventNamesText(steps[next.step], next.event_name)} event of this person could have taken it: it never happened${trace.chain.length ? ' after entering' : ''}.`));
  }
  return parts;
}

/**
 * The person's way through a funnel (the trace endpoint), or nothing where the server has no trace
 * endpoint (404 for the route itself).
 */
async function traceSection(ctx, appId, funnelId, params, person, identifier) {
  const base = `/api/v1/apps/${appId}/funnels/${funnelId}`;
  const section = h('section', {class: 'card trace', 'data-testid': 'trace'}, h('h2', {}, 'In the funnel'), h('p', {class: 'muted'}, 'Tracing…'));
  let funnel;
  try {
    funnel = await get(base);
  } catch (err) {
    if (err.status === 401) throw err;
    section.replaceChildren(h('h2', {}, 'In the funnel'), h('p', {class: 'error-box', role: 'alert'}, err.message));
    return section;
  }
  section.firstChild.textContent = `In the funnel “${funnel.name}”`;
  const candidates = [identifier, person.person_id, ...person.identifiers];
  const id = candidates.find(pathSafe);
  const back = h('p', {class: 'muted'}, h('a', {href: `#/apps/${appId}/funnels/${funnelId}`, 'data-testid': 'trace-funnel-link'}, 'Back to the report'));
  if (id === undefined) {
    section.replaceChildren(section.firstChild, h('p', {class: 'muted'}, 'None of this person’s identifiers can be traced through the API’s path.'), back);
    return section;
  }
  const q = new URLSearchParams(params || '');
  const text = q.toString();
  let trace;
  try {
    trace = await get(`${base}/users/${encodeURIComponent(id)}/trace${text ? `?${text}` : ''}`);
  } catch (err) {
    if (err.status === 401) throw err;
    if (err.status === 404 && err.key === 'not_found') return null; // a server without traces
    if (err.key === 'person_not_found') {
      section.replaceChildren(section.firstChild, h('p', {class: 'muted', 'data-testid': 'trace-none'},
        'This node’s analytic copy has no events of this person yet, so the funnel does not count them.'), back);
      return section;
    }
    section.replaceChildren(section.firstChild, h('p', {class: 'error-box', role: 'alert', 'data-testid': 'trace-error'}, err.message), back);
    return section;
  }
  const range = [q.get('from') && `from ${fmt.dateTime(q.get('from'))}`, q.get('to') && `before ${fmt.dateTime(q.get('to'))}`, q.get('mode') && `${q.get('mode')} mode`].filter(Boolean);
  section.replaceChildren(...[section.firstChild,
    range.length ? h('p', {class: 'muted'}, `With the report’s ${range.join(', ')}.`) : null,
    ...traceBody(trace, funnel), back].filter(Boolean));
  return section;
}

/** One person: who it is, its identifiers and traits, and its events newest first. */
export async function personView(main, ctx, appId, identifier, {funnelId, params} = {}) {
  ctx.rememberApp(appId);
  ctx.title(identifier);
  const apps = await ctx.apps();
  if (!ctx.alive()) return;
  const app = apps.find((a) => a.app_id === appId);
  const crumbs = h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Apps'), ' / ', app ? app.name : `app ${appId}`, ' / people');
  let person;
  try {
    person = await get(personUrl(appId, identifier, {limit: PAGE_SIZE}));
  } catch (err) {
    if (!ctx.alive() || err.status !== 404 || err.key !== 'person_not_found') throw err;
    mount(main,
      h('div', {class: 'page-head'}, h('div', {}, crumbs, h('h1', {}, 'No such person'))),
      h('section', {class: 'card'},
        h('p', {class: 'error-box', role: 'alert', 'data-testid': 'person-not-found'},
          `App ${app ? `"${app.name}"` : appId} has no events or identifies under "${identifier}" (on this node, so far).`),
        personSearch(ctx, appId, {value: identifier})));
    return;
  }
  if (!ctx.alive()) return;
  ctx.title(person.person_id);

  const rows = h('tbody', {});
  const shown = h('p', {class: 'muted', 'data-testid': 'timeline-count'});
  const more = h('button', {type: 'button', class: 'button', 'data-testid': 'load-more'}, 'Load more');
  const status = h('div', {'aria-live': 'polite'});
  let next = null;
  let count = 0;

  function add(page) {
    rows.append(...page.events.map(eventRow));
    count += page.events.length;
    next = page.next_cursor;
    more.hidden = !next;
    shown.textContent = `Newest first · showing ${fmt.count(count)} of ${fmt.count(page.event_count)}`;
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    status.replaceChildren();
    try {
      const page = await get(personUrl(appId, identifier, {limit: PAGE_SIZE, cursor: next}));
      if (ctx.alive()) add(page);
    } catch (err) {
      if (ctx.alive()) status.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.message));
    } finally {
      more.disabled = false;
    }
  });
  add(person);

  const trace = funnelId ? await traceSection(ctx, appId, funnelId, params, person, identifier) : null;
  if (!ctx.alive()) return;

  const alias = person.person_id !== identifier;
  const mark = person.watermark || {};
  mount(main,
    h('div', {class: 'page-head'},
      h('div', {}, crumbs,
        h('h1', {'data-testid': 'person-id'}, person.person_id),
        alias ? h('p', {class: 'muted', 'data-testid': 'alias-note'}, `"${identifier}" is an alias of this person.`) : null),
      personSearch(ctx, appId, {label: 'Look up another person'})),
    h('p', {class: 'freshness', 'data-testid': 'person-freshness'},
      `As of identity version ${fmt.count(mark.identity_version)} · ${fmt.count(mark.events)} events of the app loaded`),
    h('section', {class: 'card'},
      h('div', {class: 'stats'},
        h('div', {class: 'stat', 'data-testid': 'person-events'},
          h('div', {class: 'stat-label'}, 'Events'), h('div', {class: 'stat-value'}, fmt.count(person.event_count))),
        h('div', {class: 'stat', 'data-testid': 'person-first-seen'},
          h('div', {class: 'stat-label'}, 'First seen'), h('div', {class: 'stat-value small'}, fmt.dateTime(person.first_seen))),
        h('div', {class: 'stat', 'data-testid': 'person-last-seen'},
          h('div', {class: 'stat-label'}, 'Last seen'), h('div', {class: 'stat-value small'}, fmt.dateTime(person.last_seen))))),
    trace,
    h('div', {class: 'person-layout'}, identifiersSection(person), traitsSection(person.traits)),
    h('section', {class: 'card', 'data-testid': 'timeline'},
      h('h2', {}, 'Events'),
      shown,
      person.event_count
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'data timeline', 'data-testid': 'timeline-table'},
          h('caption', {class: 'visually-hidden'}, 'The person\'s events, newest first'),
          h('thead', {}, h('tr', {}, ['Time (UTC)', 'Event', 'Sent as', 'Properties'].map((c) => h('th', {scope: 'col'}, c)))),
          rows))
        : h('p', {class: 'muted'}, 'No events yet: this person is known from identify calls only.'),
      status,
      h('div', {class: 'actions'}, more)));
}
