import {h, mount, field} from '../dom.js';
import {get, post, del} from '../api.js';
import * as fmt from '../format.js';

/** The scopes a key may hold, with what each allows (as the API defines them). */
export const SCOPES = [
  {name: 'reports:read', text: 'Read funnels, reports, people, traces and cohorts'},
  {name: 'sql:read', text: 'Run read-only SQL'},
  {name: 'funnels:write', text: 'Create, edit and delete funnels, cohorts, share links and alerts'},
  {name: 'admin', text: 'Everything the management token can do (apps, keys, billing)'},
];

function appsText(key, apps) {
  if (!key.app_ids) return 'every app';
  return key.app_ids.map((id) => {
    const app = apps.find((a) => a.app_id === id);
    return app ? `${app.name} (${id})` : `app ${id}`;
  }).join(', ');
}

/** API keys: issue one (shown once), see each with its scopes, apps and last use, revoke. */
export async function keysView(main, ctx) {
  ctx.title('API keys');
  const [list, apps] = await Promise.all([get('/api/v1/tenant/api-keys'), ctx.apps(true)]);
  if (!ctx.alive()) return;
  const keys = list.api_keys;

  const name = h('input', {id: 'k-name', maxlength: 100, required: true, autocomplete: 'off', placeholder: 'metabase, CI, Ana (read only)', 'data-testid': 'key-name'});
  const scopeBoxes = SCOPES.map((scope) => h('input', {type: 'checkbox', value: scope.name, id: `k-scope-${scope.name.replace(':', '-')}`,
    checked: scope.name === 'reports:read', 'data-testid': `key-scope-${scope.name}`}));
  const appBoxes = apps.map((app) => h('input', {type: 'checkbox', value: String(app.app_id), id: `k-app-${app.app_id}`, 'data-testid': 'key-app'}));
  const expires = h('input', {type: 'date', id: 'k-expires', 'data-testid': 'key-expires'});
  const result = h('div', {'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'button primary', 'data-testid': 'key-create'}, 'Create key');

  const form = h('form', {class: 'key-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    result.replaceChildren();
    const body = {name: name.value, scopes: scopeBoxes.filter((b) => b.checked).map((b) => b.value)};
    const chosenApps = appBoxes.filter((b) => b.checked).map((b) => Number(b.value));
    if (chosenApps.length) body.app_ids = chosenApps;
    // A date means "until the end of that day" in this browser's time zone.
    if (expires.value) body.expires_at = new Date(`${expires.value}T23:59:59`).toISOString();
    submit.disabled = true;
    try {
      const created = await post('/api/v1/tenant/api-keys', body);
      ctx.flash(null);
      await keysView(main, ctx);
      const shown = document.querySelector('[data-testid="key-created"]');
      if (shown) shown.remove();
      main.querySelector('.page-head').after(h('div', {class: 'notice', role: 'status', 'data-testid': 'key-created'},
        h('p', {}, `Key “${created.name}” created. Copy it now: it is shown only once and cannot be recovered.`),
        h('p', {}, h('code', {class: 'secret', 'data-testid': 'new-key'}, created.key), ' ',
          h('button', {type: 'button', class: 'button subtle', onclick: async (ev) => {
            try {
              await navigator.clipboard.writeText(created.key);
              ev.target.textContent = 'Copied';
            } catch (err) {
              ev.target.textContent = 'Select and copy it by hand';
            }
          }}, 'Copy'))));
    } catch (err) {
      result.replaceChildren(h('p', {class: 'error-box', role: 'alert', 'data-testid': 'key-error'}, err.message));
    } finally {
      submit.disabled = false;
    }
  }},
  field('Name', name),
  h('fieldset', {class: 'checks'}, h('legend', {}, 'Scopes'),
    SCOPES.map((scope, i) => h('label', {class: 'toggle', for: scopeBoxes[i].id}, scopeBoxes[i], ' ', h('code', {}, scope.name), ` ${scope.text}`))),
  apps.length ? h('fieldset', {class: 'checks'}, h('legend', {}, 'Apps (none chosen: every app, also future ones)'),
    apps.map((app, i) => h('label', {class: 'toggle', for: appBoxes[i].id}, appBoxes[i], ` ${app.name} (${app.app_id})`))) : null,
  field('Expires after (optional)', expires, {hint: 'The key stops working at the end of that day.'}),
  h('div', {class: 'actions'}, submit));

  const rows = keys.map((key) => h('tr', {'data-testid': 'key-row', 'data-key-id': key.key_id},
    h('td', {}, key.name),
    h('td', {}, h('code', {}, `${key.key_prefix}…`)),
    h('td', {}, key.scopes.join(', ')),
    h('td', {}, appsText(key, apps)),
    h('td', {}, key.expires_at ? `${key.expired ? 'expired ' : ''}${fmt.dateTime(key.expires_at)}` : 'never'),
    h('td', {}, key.last_used_at ? fmt.ago(key.last_used_at) : 'never'),
    h('td', {}, h('button', {type: 'button', class: 'button subtle danger', 'data-testid': 'key-revoke', onclick: async (e) => {
      if (!confirm(`Revoke “${key.name}”? Whatever uses it stops working.`)) return;
      e.target.disabled = true;
      try {
        await del(`/api/v1/tenant/api-keys/${key.key_id}`);
        ctx.flash(`Key “${key.name}” revoked.`);
        await keysView(main, ctx);
      } catch (err) {
        e.target.disabled = false;
        result.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.message));
      }
    }}, 'Revoke'))));

  const flash = ctx.takeFlash();
  mount(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'API keys')),
    flash ? h('p', {class: 'notice', role: 'status', 'data-testid': 'flash'}, flash) : null,
    h('p', {class: 'lead'}, 'Give tools and people a key that does only what they need, instead of the management token. A key is shown once and stored hashed.'),
    h('section', {class: 'card'},
      keys.length
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'keys-table'},
          h('thead', {}, h('tr', {}, ['Name', 'Key', 'Scopes', 'Apps', 'Expires', 'Last used', ''].map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, rows)))
        : h('p', {class: 'muted'}, 'No API keys yet.')),
    h('section', {class: 'card'}, h('h2', {}, 'New key'), form, result));
}
