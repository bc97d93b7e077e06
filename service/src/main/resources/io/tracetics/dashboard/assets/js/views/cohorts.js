// Cohorts in the dashboard: saving a report cell's people as a cohort, and choosing the cohorts a
// funnel counts (include / exclude) in the editor.

import {h, field} from '../dom.js';
import {get, post} from '../api.js';
import * as fmt from '../format.js';

/** The app's live cohorts, or null where the server has no cohorts (404 for the route itself). */
export async function appCohorts(appId) {
  try {
    return (await get(`/api/v1/apps/${appId}/cohorts`)).cohorts;
  } catch (err) {
    if (err.status === 404 && err.key === 'not_found') return null;
    throw err;
  }
}

/** "only people in “beta”, “trial”; without “staff”", or '' when the funnel counts everybody. */
export function cohortsText(definition, cohorts) {
  const chosen = definition.cohorts;
  if (!chosen) return '';
  const name = (id) => {
    const c = (cohorts || []).find((x) => x.cohort_id === id);
    return c ? `“${c.name}”` : `cohort ${id}`;
  };
  const parts = [];
  if (chosen.include && chosen.include.length) parts.push(`only people in ${chosen.include.map(name).join(' or ')}`);
  if (chosen.exclude && chosen.exclude.length) parts.push(`without ${chosen.exclude.map(name).join(', ')}`);
  return parts.join('; ');
}

/**
 * "Save as cohort" for a people panel: a name (prefilled) and a button that creates a cohort of
 * the cell's people on the server (`from_actors`: the saved funnel, the cell and the report's
 * parameters), so it holds exactly the people the report counts there. Returns the button
 * (`control`) and the form with its outcome (`body`), for the panel to place.
 */
export function saveAsCohort(appId, fromActors, defaultName) {
  const name = h('input', {maxlength: 200, value: defaultName.slice(0, 200), autocomplete: 'off', 'data-testid': 'cohort-name'});
  const save = h('button', {type: 'submit', class: 'button primary', 'data-testid': 'cohort-save'}, 'Save');
  const result = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'cohort-form', hidden: true, novalidate: true},
    field('Cohort name', name), save);
  const open = h('button', {type: 'button', class: 'button', 'data-testid': 'save-cohort', 'aria-expanded': 'false'}, 'Save as cohort');
  open.addEventListener('click', () => {
    form.hidden = !form.hidden;
    open.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) name.focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    save.disabled = true;
    result.replaceChildren(h('p', {class: 'muted'}, 'Saving…'));
    try {
      const cohort = await post(`/api/v1/apps/${appId}/cohorts`, {name: name.value, from_actors: fromActors});
      form.hidden = true;
      open.setAttribute('aria-expanded', 'false');
      result.replaceChildren(h('p', {class: 'notice', role: 'status', 'data-testid': 'cohort-saved', 'data-cohort-id': cohort.cohort_id},
        `Saved cohort “${cohort.name}” with ${fmt.count(cohort.member_count)} ${cohort.member_count === 1 ? 'person' : 'people'}. `,
        'Funnels can now count only them, or leave them out (Edit → Cohorts).'));
    } catch (err) {
      result.replaceChildren(h('p', {class: 'error-box', role: 'alert', 'data-testid': 'cohort-error'},
        err.message, err.key ? h('span', {class: 'error-key'}, err.key) : null));
    } finally {
      save.disabled = false;
    }
  });
  return {control: open, body: h('div', {class: 'cohort-save'}, form, result)};
}

/**
 * The editor's cohort choice: each live cohort of the app counts everybody (not chosen), only its
 * members (include) or leaves them out (exclude). `value()` is the definition's `cohorts` or
 * undefined; ids of cohorts deleted since are dropped (the API refuses them) and said so.
 */
export function cohortPicker(cohorts, chosen) {
  const include = new Set((chosen && chosen.include) || []);
  const exclude = new Set((chosen && chosen.exclude) || []);
  const live = new Set(cohorts.map((c) => c.cohort_id));
  const gone = [...include, ...exclude].filter((id) => !live.has(id));
  const selects = cohorts.map((c) => {
    const state = include.has(c.cohort_id) ? 'include' : (exclude.has(c.cohort_id) ? 'exclude' : '');
    const select = h('select', {'aria-label': `Cohort ${c.name}`, 'data-testid': 'cohort-choice', 'data-cohort-id': c.cohort_id},
      [['', 'not used'], ['include', 'count only them'], ['exclude', 'leave them out']]
        .map(([v, label]) => h('option', {value: v, selected: v === state}, label)));
    return {cohort: c, select};
  });
  const element = h('fieldset', {class: 'cohort-picks', 'data-field': 'cohorts', 'data-testid': 'cohort-picker'},
    h('legend', {}, 'Cohorts'),
    cohorts.length
      ? h('ul', {}, selects.map(({cohort, select}) => h('li', {}, select,
        h('span', {}, cohort.name, h('span', {class: 'muted'}, ` · ${fmt.count(cohort.member_count)} people`)))))
      : h('p', {class: 'muted'}, 'This app has no cohorts yet: "Save as cohort" on a report\'s people makes one.'),
    h('p', {class: 'hint'}, 'Several counted cohorts: people in any of them. Everybody else is as if they had no events.'),
    gone.length ? h('p', {class: 'hint', 'data-testid': 'cohort-gone'}, `Deleted since and dropped from this funnel: cohort ${gone.join(', ')}.`) : null,
    h('p', {class: 'field-error'}));
  return {
    element,
    value() {
      const inc = selects.filter((x) => x.select.value === 'include').map((x) => x.cohort.cohort_id);
      const exc = selects.filter((x) => x.select.value === 'exclude').map((x) => x.cohort.cohort_id);
      if (!inc.length && !exc.length) return undefined;
      const out = {};
      if (inc.length) out.include = inc;
      if (exc.length) out.exclude = exc;
      return out;
    },
  };
}
