import {h, mount, field} from '../dom.js';
import {session, get} from '../api.js';

/**
 * Sign in with the tenant's management token or an API key; it is kept in this tab's sessionStorage
 * only.
 */
export function signInView(main, ctx, done) {
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, placeholder: 'mt_… or rk_…', 'data-testid': 'token-input',
  });
  const error = h('p', {class: 'error-box', role: 'alert', id: 'signin-error', hidden: true});
  const button = h('button', {type: 'submit', class: 'button primary', id: 'sign-in'}, 'Sign in');
  const flash = ctx.takeFlash();
  const form = h('form', {class: 'signin-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const value = token.value.trim();
    error.hidden = true;
    if (!value) {
      error.textContent = 'Paste the management token or an API key first.';
      error.hidden = false;
      token.focus();
      return;
    }
    button.disabled = true;
    try {
      ctx.state.tenant = await get('/api/v1/tenant', {token: value});
      ctx.state.access = await get('/api/v1/tenant/access', {token: value});
      session.signIn(value);
      token.value = '';
      done();
    } catch (err) {
      error.textContent = err.status === 401
        ? 'This token was not accepted. Use the tenant\'s management token (mt_…) or an API key (rk_…) that is not revoked or expired, not the tenant key or an app key.'
        : err.message;
      error.hidden = false;
      token.select();
    } finally {
      button.disabled = false;
    }
  }},
  field('Management token or API key', token, {hint: 'The server prints the management token at start ("Management token: mt_…"); creating a tenant returns one too. An API key (rk_…) shows only what its scopes allow.'}),
  error,
  h('div', {class: 'actions'}, button));

  mount(main, h('section', {class: 'signin card'},
    h('h1', {}, 'Sign in to Tracetics'),
    flash ? h('p', {class: 'notice', role: 'status'}, flash) : null,
    h('p', {class: 'lead'}, 'See your funnels as pictures, explore your events with SQL and watch the pipeline.'),
    form,
    h('p', {class: 'hint'}, 'The token stays in this browser tab (sessionStorage) and is sent only to this server, in the Authorization header. Closing the tab signs you out.')));
  token.focus();
}
