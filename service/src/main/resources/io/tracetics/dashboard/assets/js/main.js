// The dashboard: a hash router over a few views. Signed in with a tenant's management token or an
// API key; it shows only what the credential's scopes allow (GET /api/v1/tenant/access).

import {h, mount} from './dom.js';
import {session, get} from './api.js';
import {hideTooltip} from './charts.js';
import {signInView} from './views/signin.js';
import {appsView} from './views/apps.js';
import {reportView} from './views/report.js';
import {editorView} from './views/editor.js';
import {sqlView} from './views/sql.js';
import {pipelineView} from './views/pipeline.js';
import {personView} from './views/person.js';
import {keysView} from './views/keys.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const account = document.getElementById('account');
const LAST_APP = 'tracetics.lastApp';

const state = {tenant: null, access: null, apps: null, flash: null};
let cleanup = null;
let generation = 0;

const routes = [
  {pattern: /^\/?$/, nav: 'apps', view: (p, ctx) => appsView(main, ctx)},
  {pattern: /^\/apps\/(\d+)\/funnels\/new$/, nav: 'apps', view: ([app], ctx) => editorView(main, ctx, Number(app), null)},
  {pattern: /^\/apps\/(\d+)\/funnels\/(\d+)$/, nav: 'apps', view: ([app, id], ctx) => reportView(main, ctx, Number(app), Number(id))},
  {pattern: /^\/apps\/(\d+)\/funnels\/(\d+)\/edit$/, nav: 'apps', view: ([app, id], ctx) => editorView(main, ctx, Number(app), Number(id))},
  {pattern: /^\/apps\/(\d+)\/funnels\/(\d+)\/(?:([a-z_]+=[^/]*)\/)?people\/(.+)$/s, nav: 'apps',
    view: ([app, funnel, params, person], ctx) => personView(main, ctx, Number(app), person, {funnelId: Number(funnel), params})},
  {pattern: /^\/apps\/(\d+)\/people\/(.+)$/s, nav: 'apps', view: ([app, person], ctx) => personView(main, ctx, Number(app), person)},
  {pattern: /^\/apps\/(\d+)\/sql$/, nav: 'sql', view: ([app], ctx) => sqlView(main, ctx, Number(app))},
  {pattern: /^\/sql$/, nav: 'sql', view: (p, ctx) => sqlView(main, ctx, null)},
  {pattern: /^\/pipeline$/, nav: 'pipeline', view: (p, ctx) => pipelineView(main, ctx)},
  {pattern: /^\/keys$/, nav: 'keys', view: (p, ctx) => keysView(main, ctx)},
];

function path() {
  const raw = location.hash.replace(/^#/, '');
  try {
    return decodeURIComponent(raw) || '/';
  } catch (e) {
    return raw || '/'; // a stray % typed into the address bar
  }
}

function setSignedIn(signedIn) {
  nav.hidden = !signedIn;
  for (const link of nav.querySelectorAll('a[data-needs]')) link.hidden = !ctx.can(link.dataset.needs);
  account.hidden = !signedIn;
  document.getElementById('tenant-name').textContent = signedIn && state.tenant
    ? `${state.tenant.name} · ${state.tenant.plan.name} plan` : '';
}

const ctx = {
  state,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** The tenant's apps, fetched once per sign-in (refresh after creating one). */
  async apps(refresh = false) {
    if (!state.apps || refresh) state.apps = (await get('/api/v1/apps')).apps;
    return state.apps;
  },
  /**
   * Whether the credential may do what `scope` needs: a scope name, or 'admin:tenant' for
   * tenant-wide administration (a key limited to some apps has no part in it).
   */
  can(scope) {
    const access = state.access;
    if (!access) return false;
    if (scope === 'admin:tenant') return access.scopes.includes('admin') && !access.app_ids;
    return access.scopes.includes('admin') || access.scopes.includes(scope);
  },
  rememberApp(appId) {
    sessionStorage.setItem(LAST_APP, String(appId));
  },
  lastApp() {
    const value = Number(sessionStorage.getItem(LAST_APP));
    return Number.isFinite(value) && value > 0 ? value : null;
  },
  flash(message) {
    state.flash = message;
  },
  takeFlash() {
    const message = state.flash;
    state.flash = null;
    return message;
  },
  title(text) {
    document.title = text ? `${text} · Tracetics` : 'Tracetics';
  },
  signOut(message) {
    session.signOut();
    state.tenant = null;
    state.access = null;
    state.apps = null;
    sessionStorage.removeItem(LAST_APP);
    if (message) state.flash = message;
    ctx.navigate('#/');
  },
};

session.whenUnauthorized(() => ctx.signOut('The token or key is no longer accepted (rotated, revoked or expired). Sign in again.'));
document.getElementById('sign-out').addEventListener('click', () => ctx.signOut('Signed out.'));

async function route() {
  const mine = ++generation;
  ctx.alive = () => mine === generation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  hideTooltip();
  if (!session.token()) {
    setSignedIn(false);
    ctx.title('Sign in');
    signInView(main, ctx, async () => route());
    return;
  }
  try {
    if (!state.tenant) state.tenant = await get('/api/v1/tenant');
    if (!state.access) state.access = await get('/api/v1/tenant/access');
  } catch (e) {
    if (e.status !== 401) showFailure(e);
    return;
  }
  if (!ctx.alive()) return;
  setSignedIn(true);
  const p = path();
  const match = routes.map((r) => ({r, m: p.match(r.pattern)})).find((x) => x.m);
  for (const link of nav.querySelectorAll('a')) {
    if (match && link.dataset.nav === match.r.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!match) {
    ctx.title('Not found');
    mount(main, h('section', {class: 'card'}, h('h1', {}, 'Not found'),
      h('p', {}, 'There is no such page. ', h('a', {href: '#/'}, 'Back to your apps'), '.')));
    return;
  }
  try {
    const result = await match.r.view(match.m.slice(1), ctx);
    if (typeof result === 'function') {
      if (ctx.alive()) cleanup = result;
      else result();
    }
  } catch (e) {
    if (ctx.alive() && e.status !== 401) showFailure(e);
  }
}

function showFailure(e) {
  mount(main, h('section', {class: 'card'},
    h('h1', {}, e.status === 404 ? 'Not found' : 'Something went wrong'),
    h('p', {class: 'error-box', role: 'alert', 'data-testid': 'page-error'}, e.message),
    h('p', {}, h('a', {href: '#/'}, 'Back to your apps'))));
}

window.addEventListener('hashchange', route);
route();
