// Share links of a saved funnel's report: create one (optionally expiring, optionally letting its
// viewers change some report parameters), show its URL once with a copy button, list and revoke them.

import {h, field} from '../dom.js';
import {get, post, del} from '../api.js';
import * as fmt from '../format.js';
import {nextDay} from '../format.js';

/** The report parameters a link may let its viewers change, as the form offers them. */
const CHOICES = [
  {names: ['from', 'to'], label: 'Date range'},
  {names: ['breakdown'], label: 'Breakdown (shows the values of any property)'},
  {names: ['interval'], label: 'Trend'},
  {names: ['mode'], label: 'Order mode'},
];

function allowedText(names) {
  return names.length ? names.join(', ') : 'nothing';
}

/** Copies text to the clipboard; false where the browser refuses (then the field stays selected). */
async function copy(input) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch (e) {
    return document.execCommand && document.execCommand('copy');
  }
}

/** The share panel of a funnel report. */
export function sharePanel(appId, funnelId, {onClose}) {
  const base = `/api/v1/apps/${appId}/funnels/${funnelId}/shares`;
  const expiry = h('input', {type: 'date', id: 'share-expiry', 'data-testid': 'share-expiry'});
  const boxes = CHOICES.map((c) => ({choice: c, input: h('input', {type: 'checkbox', 'data-testid': `share-allow-${c.names[0]}`})}));
  const created = h('div', {'aria-live': 'polite'});
  const list = h('div', {'data-testid': 'share-list'});
  const errors = h('div', {'aria-live': 'polite'});

  async function refresh() {
    let shares;
    try {
      shares = (await get(base)).shares;
    } catch (err) {
      list.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.message));
      return;
    }
    if (!shares.length) {
      list.replaceChildren(h('p', {class: 'muted', 'data-testid': 'share-none'}, 'No links to this report.'));
      return;
    }
    list.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
      h('caption', {class: 'visually-hidden'}, 'Links to this report'),
      h('thead', {}, h('tr', {}, ['Created', 'Expires', 'Viewers may change', ''].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, shares.map((s) => h('tr', {'data-testid': 'share-row', 'data-share-id': s.share_id},
        h('td', {}, fmt.dateTime(s.created_at)),
        h('td', {}, s.expires_at ? `${fmt.dateTime(s.expires_at)}${s.expired ? ' (expired)' : ''}` : 'never'),
        h('td', {}, allowedText(s.allowed_parameters)),
        h('td', {}, h('button', {
          type: 'button', class: 'button subtle', 'data-testid': 'share-revoke',
          'aria-label': `Revoke the link created ${fmt.dateTime(s.created_at)}`,
          onclick: async () => {
            try {
              await del(`${base}/${s.share_id}`);
            } catch (err) {
              errors.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.message));
            }
            refresh();
          },
        }, 'Revoke'))))))));
  }

  async function create(e) {
    e.preventDefault();
    errors.replaceChildren();
    const body = {allowed_parameters: boxes.filter((b) => b.input.checked).flatMap((b) => b.choice.names)};
    // The date is the last day the link works (UTC), as the report's "through" dates.
    if (expiry.value) body.expires_at = `${nextDay(expiry.value)}T00:00:00Z`;
    let share;
    try {
      share = await post(base, body);
    } catch (err) {
      errors.replaceChildren(h('p', {class: 'error-box', role: 'alert', 'data-testid': 'share-error'}, err.message));
      return;
    }
    const url = h('input', {readonly: true, value: `${location.origin}${share.url}`, 'data-testid': 'share-url', 'aria-label': 'The link'});
    const copied = h('span', {class: 'muted', 'data-testid': 'share-copied'});
    created.replaceChildren(h('div', {class: 'notice', 'data-testid': 'share-created'},
      h('p', {}, h('strong', {}, 'Copy the link now: '), 'it is shown only once. Anyone who has it can see this report until it is revoked',
        share.expires_at ? ` or expires (${fmt.dateTime(share.expires_at)})` : '', '.'),
      h('div', {class: 'share-url'}, url,
        h('button', {type: 'button', class: 'button', 'data-testid': 'share-copy',
          onclick: async () => { copied.textContent = (await copy(url)) ? 'Copied.' : 'Press Ctrl+C to copy.'; }}, 'Copy'),
        copied),
      h('p', {class: 'hint'}, 'To embed it in another page, add ?embed=1 to the link.')));
    url.focus();
    url.select();
    refresh();
  }

  const panel = h('section', {class: 'card share-panel', 'data-testid': 'share-panel', 'aria-labelledby': 'share-heading'},
    h('div', {class: 'card-head'}, h('h2', {id: 'share-heading'}, 'Share this report'),
      h('button', {type: 'button', class: 'button subtle', onclick: onClose}, 'Close')),
    h('p', {class: 'muted'}, 'A link shows this funnel\'s report, its name and steps to anyone who has it, without signing in; never its people, your other funnels or your keys.'),
    h('form', {onsubmit: create},
      field('Works through (optional)', expiry, {hint: 'The last day the link works (UTC). Empty: until revoked.'}),
      h('fieldset', {class: 'share-params'}, h('legend', {}, 'Viewers may change'),
        boxes.map((b) => h('label', {class: 'toggle'}, b.input, ` ${b.choice.label}`))),
      h('button', {type: 'submit', class: 'button primary', 'data-testid': 'share-create'}, 'Create link')),
    errors,
    created,
    h('h3', {}, 'Links'),
    list);
  refresh();
  return panel;
}
