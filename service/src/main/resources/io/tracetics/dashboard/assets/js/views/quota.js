// The monthly event quota as a meter (GET /api/v1/usage, monthly_events): amber from 80% of the
// plan's limit, red at 100%, and the events refused over it called out, so that a tenant sees when
// its limit drops data. A plan without a limit ("unlimited") has no meter, only the count.

import {h} from '../dom.js';
import {get} from '../api.js';
import * as fmt from '../format.js';

export const WARN_AT = 0.8;

/** ok, warn (from 80%), full (100% or more) or unlimited (the plan has no monthly limit). */
export function quotaState(used, limit) {
  if (limit === null || limit === undefined) return 'unlimited';
  if (limit <= 0 || used >= limit) return 'full';
  return used / limit >= WARN_AT ? 'warn' : 'ok';
}

const WORDS = {
  ok: null,
  warn: 'Nearing the monthly limit: events past it are refused.',
  full: 'Monthly limit reached: new events are refused until the month ends or the plan changes.',
  unlimited: null,
};

/** The meter for a /usage answer. */
export function quotaMeter(usage) {
  const monthly = usage.monthly_events || {};
  const used = monthly.used || 0;
  const limit = monthly.limit;
  const rejected = monthly.rejected || 0;
  const state = quotaState(used, limit);
  const ratio = limit ? used / limit : null;
  const period = monthly.period ? ` (${monthly.period}, UTC)` : '';
  const label = state === 'unlimited'
    ? `${fmt.count(used)} events this month${period}; the ${usage.plan} plan has no monthly limit`
    : `${fmt.count(used)} of ${fmt.count(limit)} events this month${period}, ${fmt.percent(ratio)}`;
  let meter = null;
  if (state !== 'unlimited') {
    const fill = h('div', {class: 'quota-fill'});
    // A width from data: set through the CSSOM, which the page's Content-Security-Policy allows.
    fill.style.width = `${Math.min(100, (ratio || 0) * 100)}%`;
    meter = h('div', {
      class: 'quota-bar', role: 'meter', 'aria-label': 'Monthly events', 'aria-valuemin': 0, 'aria-valuemax': limit,
      'aria-valuenow': Math.min(used, limit), 'aria-valuetext': label, 'data-testid': 'quota-bar',
    }, fill, h('div', {class: 'quota-mark', 'aria-hidden': 'true'}));
  }
  return h('section', {
    class: ['card', 'quota', `quota-${state}`], 'data-testid': 'quota-meter', 'data-state': state,
    'data-used': used, 'data-limit': limit === null || limit === undefined ? '' : limit, 'data-rejected': rejected,
    'aria-label': 'Monthly event quota',
  },
  h('div', {class: 'quota-head'},
    h('h2', {}, 'Events this month'),
    h('span', {class: 'muted'}, `${usage.plan} plan`)),
  h('p', {class: 'quota-numbers', 'data-testid': 'quota-text'},
    state === 'unlimited'
      ? [h('strong', {}, fmt.count(used)), ' events', period, ' · no monthly limit']
      : [h('strong', {}, fmt.count(used)), ` of ${fmt.count(limit)} events`, period, ' · ',
        h('strong', {class: 'quota-percent'}, fmt.percent(ratio))]),
  meter,
  WORDS[state] ? h('p', {class: 'quota-words', role: 'status'},
    h('span', {class: 'quota-icon', 'aria-hidden': 'true'}, state === 'full' ? '■ ' : '▲ '), WORDS[state]) : null,
  rejected > 0
    ? h('p', {class: 'quota-refused', 'data-testid': 'quota-refused'},
      h('strong', {}, `${fmt.count(rejected)} event${rejected === 1 ? '' : 's'} refused`), ' this month over the limit: they were not stored and are in no report.')
    : h('p', {class: 'hint', 'data-testid': 'quota-refused-none'}, 'No events refused this month.'));
}

/** A slot that shows the meter once /usage answers (nothing if it fails: the page works without it). */
export function quotaSlot(ctx) {
  const slot = h('div', {class: 'quota-slot'});
  get('/api/v1/usage').then((usage) => {
    if (ctx.alive()) slot.replaceChildren(quotaMeter(usage));
  }, () => {});
  return slot;
}
