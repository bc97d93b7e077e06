import {h, mount, field} from '../dom.js';
import {get} from '../api.js';
import * as fmt from '../format.js';

const PAGE_SIZE = 50;

/** The dashboard's address of a person: the identifier travels encoded in the hash. */
export function personHash(appId, identifier) {
  return `#/apps/${appId}/people/${encodeURIComponent(identifier)}`;
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

/** One person: who it is, its identifiers and traits, and its events newest first. */
export async function personView(main, ctx, appId, identifier) {
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
