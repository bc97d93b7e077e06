import {h, mount, field} from '../dom.js';
import {get, post} from '../api.js';
import * as fmt from '../format.js';
import {personSearch} from './person.js';
import {quotaSlot} from './quota.js';

export function funnelSummary(f) {
  const [value, unit] = fmt.windowParts(f.window_seconds);
  const counting = f.count_by && f.count_by.property ? ` · accounts by ${f.count_by.property}` : '';
  return `${f.steps.length} steps · ${f.order} · ${value} ${value === 1 ? unit.replace(/s$/, '') : unit} window${counting}`;
}

/**
 * "Install": the <script> snippet that sends this app's events from a web page, with this server's
 * address. The keys are placeholders: the server keeps only their hashes.
 */
export function installHint(app) {
  const origin = location.origin;
  // The app's name inside a JS comment: JSON-quoted, and no '<' that could close the script tag.
  const name = JSON.stringify(app.name).replace(/</g, '\\u003c');
  const snippet = [
    `<script src="${origin}/sdk/tracetics.js" crossorigin="anonymous"></script>`,
    '<script>',
    `  // App ${name} (app_id ${app.app_id}): the tenant key (tk_...) and this app's key (ak_...)`,
    '  // were shown when they were made; rotating a key shows a new one.',
    '  const tracetics = new Tracetics({',
    `    endpoint: '${origin}',`,
    "    tenantKey: 'TENANT_KEY',",
    "    trackedAppKey: 'APP_KEY',",
    '  });',
    "  tracetics.track({ event_name: 'page_view', metadata: { path: location.pathname } });",
    '</script>',
  ].join('\n');
  return h('details', {'data-testid': 'install-hint'},
    h('summary', {}, 'Install'),
    h('p', {class: 'muted'}, 'Paste into your pages (the SDK for npm: tracetics-sdk):'),
    h('textarea', {readonly: true, rows: 11, cols: 200, wrap: 'off', spellcheck: 'false',
      'aria-label': `Install snippet for ${app.name}`, 'data-testid': 'install-snippet'}, snippet));
}

/** The tenant's tracked apps, each with its saved funnels. */
export async function appsView(main, ctx) {
  ctx.title('Apps & funnels');
  const apps = await ctx.apps(true);
  const readsFunnels = ctx.can('reports:read');
  const lists = readsFunnels
    ? await Promise.all(apps.map((a) => get(`/api/v1/apps/${a.app_id}/funnels`).then((r) => r.funnels)))
    : apps.map(() => null);
  if (!ctx.alive()) return;
  const flash = ctx.takeFlash();

  const cards = apps.map((app, i) => {
    const funnels = lists[i];
    return h('article', {class: 'card app-card', 'data-testid': 'app-card', 'data-app-id': app.app_id},
      h('header', {class: 'card-head'},
        h('h2', {}, app.name),
        h('span', {class: 'muted'}, `app ${app.app_id} · created ${fmt.dateTime(app.created_at).slice(0, 10)}`)),
      !funnels ? h('p', {class: 'muted'}, 'This key may not read funnels (it lacks reports:read).')
        : funnels.length
        ? h('ul', {class: 'funnel-list'}, funnels.map((f) => h('li', {},
          h('a', {href: `#/apps/${app.app_id}/funnels/${f.funnel_id}`, 'data-testid': 'funnel-link'}, f.name),
          h('span', {class: 'muted'}, funnelSummary(f)))))
        : h('p', {class: 'muted'}, 'No funnels yet.'),
      h('div', {class: 'actions'},
        ctx.can('funnels:write') ? h('a', {class: 'button primary', href: `#/apps/${app.app_id}/funnels/new`, 'data-testid': 'new-funnel'}, 'New funnel') : null,
        readsFunnels ? h('a', {class: 'button', href: `#/apps/${app.app_id}/alerts`, 'data-testid': 'alerts-link'}, 'Alerts') : null,
        ctx.can('sql:read') ? h('a', {class: 'button', href: `#/apps/${app.app_id}/sql`}, 'SQL console') : null),
      readsFunnels ? personSearch(ctx, app.app_id) : null,
      installHint(app));
  });

  const name = h('input', {id: 'new-app-name', maxlength: 200, placeholder: 'web, ios, …'});
  const result = h('div', {'aria-live': 'polite'});
  const addForm = h('form', {class: 'inline-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    result.replaceChildren();
    try {
      const created = await post('/api/v1/apps', {name: name.value});
      name.value = '';
      ctx.flash(`App "${created.name}" created. Its app key (shown once; it can only send events): ${created.app_key}`);
      await appsView(main, ctx);
    } catch (err) {
      result.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.errors.length ? err.errors.join('; ') : err.message));
    }
  }}, field('Add an app', name), h('button', {type: 'submit', class: 'button'}, 'Add app'));

  mount(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'Apps & funnels')),
    flash ? h('p', {class: 'notice', role: 'status', 'data-testid': 'flash'}, flash) : null,
    quotaSlot(ctx),
    apps.length ? h('div', {class: 'app-grid'}, cards)
      : h('p', {class: 'card'}, 'No tracked apps yet. Add one below, then send events with its app key.'),
    ctx.can('admin:tenant') ? h('section', {class: 'card'}, addForm, result) : null);
}
