import {h, mount, field} from '../dom.js';
import {get, post, put} from '../api.js';
import * as fmt from '../format.js';
import {funnelChart, responsive} from '../charts.js';
import {eventNames, propertyNames} from './suggest.js';
import {alternativesOf, unitOf, units} from '../steps.js';
import {appCohorts, cohortPicker} from './cohorts.js';
import {peoplePanel} from './people.js';

const OPS = [
  ['eq', 'equals'], ['neq', 'does not equal'], ['in', 'is one of'], ['contains', 'contains'],
  ['gt', '>'], ['gte', '≥'], ['lt', '<'], ['lte', '≤'], ['is_set', 'is set'], ['is_not_set', 'is not set'],
];
const NO_VALUE = new Set(['is_set', 'is_not_set']);
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);

const ORDER_HELP = {
  ordered: 'Steps in this order; other events may happen in between.',
  strict: 'Steps in this order with no other event of the user in between.',
  unordered: 'All steps within the window, in any order.',
};

function valueText(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function wireValue(op, text) {
  if (NO_VALUE.has(op)) return undefined;
  const one = (t) => (NUMERIC.has(op) && /^-?\d+(\.\d+)?$/.test(t.trim()) ? Number(t.trim()) : t.trim());
  if (op === 'in') return text.split(',').map((t) => t.trim()).filter((t) => t.length).map(one);
  return one(text);
}

/** One alternative as the form edits it: the event name and its filters with their value as typed. */
function alternativeModel(alt) {
  return {event_name: alt.event_name || '', filters: (alt.filters || []).map((f) => ({property: f.property, op: f.op, text: valueText(f.value), source: f.source}))};
}

function emptyStep() {
  return {name: '', withinValue: '', withinUnit: 'minutes', alternatives: [alternativeModel({})]};
}

/** A saved step as the form edits it: its alternatives (one for a plain step), name and time limit. */
function stepModel(step) {
  const [withinValue, withinUnit] = step.within_seconds ? fmt.windowParts(step.within_seconds) : ['', 'minutes'];
  return {name: step.name || '', withinValue: String(withinValue), withinUnit, alternatives: alternativesOf(step).map(alternativeModel)};
}

function wireFilters(filters) {
  return filters.map((f) => {
    const filter = {property: f.property.trim(), op: f.op};
    const value = wireValue(f.op, f.text);
    if (value !== undefined) filter.value = value;
    if (f.source) filter.source = f.source;
    return filter;
  });
}

/**
 * A step of the definition: one alternative is written as a plain event_name (and filters), several
 * as any_of; the time limit only after the first step of an ordered or strict funnel.
 */
function wireStep(st, i, order) {
  const alternatives = st.alternatives.map((alt) => {
    const one = {event_name: alt.event_name.trim()};
    if (alt.filters.length) one.filters = wireFilters(alt.filters);
    return one;
  });
  const step = alternatives.length === 1 ? alternatives[0] : {any_of: alternatives};
  if (st.name.trim()) step.name = st.name.trim();
  if (i > 0 && order !== 'unordered' && String(st.withinValue).trim() !== '') {
    step.within_seconds = Math.round(Number(st.withinValue) * fmt.UNIT_SECONDS[st.withinUnit]);
  }
  return step;
}

/** The field path of alternative j of step i, as the API names it in violations. */
function alternativePath(step, i, j) {
  return step.alternatives.length > 1 ? `steps[${i}].any_of[${j}]` : `steps[${i}]`;
}

const MAX_ALTERNATIVES = 10;

function withinHint(unordered) {
  return unordered
    ? 'Time limits need an order of steps: not used (nor saved) while the funnel is unordered.'
    : 'Optional: the longest time since the previous step.';
}

/** Create or edit a funnel; every change is checked by the API at once (and previewed). */
export async function editorView(main, ctx, appId, funnelId) {
  ctx.rememberApp(appId);
  const base = `/api/v1/apps/${appId}/funnels`;
  const [original, cohorts] = await Promise.all([funnelId ? get(`${base}/${funnelId}`) : null, appCohorts(appId)]);
  if (!ctx.alive()) return undefined;
  // Without cohorts on the server (cohorts null) the funnel's own choice is kept as it was.
  const picker = cohorts ? cohortPicker(cohorts, original && original.cohorts) : null;
  ctx.title(original ? `Edit ${original.name}` : 'New funnel');

  const model = {
    steps: original ? original.steps.map(stepModel) : [emptyStep(), emptyStep()],
  };
  const [windowValue, windowUnit] = fmt.windowParts(original ? original.window_seconds : 14 * 86400);

  const name = h('input', {id: 'f-name', maxlength: 200, value: original ? original.name : '', autocomplete: 'off', 'data-testid': 'funnel-name'});
  const windowInput = h('input', {id: 'f-window', type: 'number', min: 1, step: 1, value: windowValue, class: 'narrow-input'});
  const unit = h('select', {id: 'f-window-unit', 'aria-label': 'Window unit'},
    ['seconds', 'minutes', 'hours', 'days'].map((u) => h('option', {value: u, selected: u === windowUnit}, u)));
  const order = h('select', {id: 'f-order'},
    ['ordered', 'strict', 'unordered'].map((o) => h('option', {value: o, selected: (original ? original.order : 'ordered') === o}, o)));
  const orderHelp = h('p', {class: 'hint'}, ORDER_HELP[order.value]);
  const breakdown = h('input', {id: 'f-breakdown', list: 'property-names', value: original && original.breakdown ? original.breakdown : '', placeholder: 'none', autocomplete: 'off'});
  const interval = h('select', {id: 'f-interval'},
    [['', 'Off'], ['day', 'By day'], ['week', 'By week']].map(([v, l]) => h('option', {value: v, selected: ((original && original.interval) || '') === v}, l)));
  const holdConstant = h('input', {id: 'f-hold', value: original && original.hold_constant ? original.hold_constant.join(', ') : '', placeholder: 'e.g. order_id', autocomplete: 'off'});

  const countMode = h('select', {id: 'f-count', 'data-testid': 'count-mode'},
    [['people', 'people'], ['property', 'accounts, by a property']].map(([v, l]) => h('option', {value: v, selected: (original && original.count_by ? 'property' : 'people') === v}, l)));
  const countProperty = h('input', {
    id: 'f-count-property', list: 'property-names', value: original && original.count_by ? original.count_by.property || '' : '',
    placeholder: 'e.g. company_id', autocomplete: 'off', 'aria-label': 'Property whose values are counted',
    'data-testid': 'count-property', hidden: !(original && original.count_by),
  });

  const stepsBox = h('ol', {class: 'steps-editor', 'data-testid': 'steps-editor'});
  const formErrors = h('div', {class: 'form-errors', role: 'alert', 'data-testid': 'form-errors', hidden: true});
  const previewStatus = h('p', {class: 'preview-status', 'aria-live': 'polite', 'data-testid': 'preview-status'});
  const previewChart = h('div', {class: 'chart-box'});
  const previewPeople = h('div', {'data-testid': 'preview-people'});
  const eventList = h('datalist', {id: 'event-names'});
  const propertyList = h('datalist', {id: 'property-names'});
  eventNames(appId).then((names) => eventList.replaceChildren(...names.map((n) => h('option', {value: n}))));
  propertyNames(appId).then((names) => propertyList.replaceChildren(...names.map((n) => h('option', {value: n}))));

  function definition() {
    const def = {
      name: name.value.trim(),
      window_seconds: Math.round(Number(windowInput.value) * fmt.UNIT_SECONDS[unit.value]),
      order: order.value,
      steps: model.steps.map((st, i) => wireStep(st, i, order.value)),
    };
    if (countMode.value === 'property') def.count_by = {property: countProperty.value.trim()};
    if (breakdown.value.trim()) def.breakdown = breakdown.value.trim();
    if (interval.value) def.interval = interval.value;
    const hold = holdConstant.value.split(',').map((t) => t.trim()).filter((t) => t.length);
    if (hold.length) def.hold_constant = hold;
    if (picker) {
      const chosen = picker.value();
      if (chosen) def.cohorts = chosen;
    }
    // Parts this form does not edit are kept as they were.
    if (original) {
      const kept = ['exclusions', 'global_filters', 'breakdown_limit', 'breakdown_source', 'from', 'to'];
      if (!picker) kept.push('cohorts');
      for (const key of kept) {
        if (original[key] !== undefined && original[key] !== null) def[key] = original[key];
      }
    }
    return def;
  }

  // --- errors next to the fields -------------------------------------------------------------

  const form = h('form', {class: 'funnel-form', novalidate: true});

  function clearErrors() {
    form.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    formErrors.hidden = true;
    formErrors.replaceChildren();
  }

  /** The element for a violation's field, e.g. steps[1].filters[0].value, or its nearest parent. */
  function slotFor(path) {
    let p = path || '';
    while (p) {
      const el = form.querySelector(`[data-field="${CSS.escape(p)}"]`);
      if (el) return el;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    return null;
  }

  function showErrors(err) {
    clearErrors();
    const items = err.violations.length
      ? err.violations.map((v) => ({field: v.field, message: v.message}))
      : (err.errors.length ? err.errors : [err.message]).map((m) => ({field: (m.match(/^([a-z_]+) /) || [])[1], message: m}));
    const summary = [];
    for (const item of items) {
      const slot = slotFor(item.field);
      if (slot) {
        const target = slot.querySelector(':scope > .field-error') || slot.querySelector('.field-error');
        target.textContent = target.textContent ? `${target.textContent} ${item.message}` : item.message;
        const control = slot.querySelector(':scope > input, :scope > select, :scope > .pair > input');
        if (control) control.setAttribute('aria-invalid', 'true');
      }
      summary.push(item.field ? `${item.field}: ${item.message}` : item.message);
    }
    formErrors.replaceChildren(h('strong', {}, err.status === 422 ? 'Please fix:' : 'Not saved:'),
      h('ul', {}, summary.map((t) => h('li', {}, t))));
    formErrors.hidden = false;
  }

  // --- steps ---------------------------------------------------------------------------------

  function filterRows(alt, path, what) {
    return alt.filters.map((f, j) => {
      const property = h('input', {
        class: 'filter-property', list: 'property-names', value: f.property, placeholder: 'property',
        autocomplete: 'off', 'aria-label': `${what} filter ${j + 1} property`,
        oninput: (e) => { f.property = e.target.value; changed(); },
      });
      const value = h('input', {
        class: 'filter-value', value: f.text, placeholder: f.op === 'in' ? 'a, b, c' : 'value', hidden: NO_VALUE.has(f.op),
        autocomplete: 'off', 'aria-label': `${what} filter ${j + 1} value`,
        oninput: (e) => { f.text = e.target.value; changed(); },
      });
      const op = h('select', {
        class: 'filter-op', 'aria-label': `${what} filter ${j + 1} operator`,
        onchange: (e) => { f.op = e.target.value; value.hidden = NO_VALUE.has(f.op); value.placeholder = f.op === 'in' ? 'a, b, c' : 'value'; changed(); },
      }, OPS.map(([v, label]) => h('option', {value: v, selected: v === f.op}, label)));
      const at = `${path}.filters[${j}]`;
      return h('li', {class: 'filter-row', 'data-field': at},
        h('span', {class: 'where'}, j ? 'and' : 'where'),
        h('span', {'data-field': `${at}.property`, class: 'cell'}, property, h('span', {class: 'field-error'})),
        h('span', {'data-field': `${at}.op`, class: 'cell'}, op, h('span', {class: 'field-error'})),
        h('span', {'data-field': `${at}.value`, class: 'cell'}, value, h('span', {class: 'field-error'})),
        h('button', {type: 'button', class: 'icon-button', 'aria-label': `Remove filter ${j + 1} of ${what.toLowerCase()}`,
          onclick: () => { alt.filters.splice(j, 1); renderSteps(); changed(); }}, '✕'),
        h('span', {class: 'field-error'}));
    });
  }

  /** An alternative's event name with its filters; the first one shares the line with the step's buttons. */
  function alternativeBlock(step, i, j, stepButtons) {
    const alt = step.alternatives[j];
    const several = step.alternatives.length > 1;
    const path = alternativePath(step, i, j);
    const what = several ? `Step ${i + 1} alternative ${j + 1}` : `Step ${i + 1}`;
    const event = h('input', {
      class: j ? 'step-event alternative-event' : 'step-event', list: 'event-names', value: alt.event_name,
      placeholder: j ? 'or this event' : 'event name', autocomplete: 'off', 'aria-label': `${what} event name`,
      'data-testid': j ? 'alternative-event' : 'step-event',
      oninput: (e) => { alt.event_name = e.target.value; changed(); },
    });
    const filters = filterRows(alt, path, what);
    const line = j === 0
      ? h('div', {class: 'step-line'},
        h('span', {class: 'step-no', 'aria-hidden': 'true'}, String(i + 1)),
        h('span', {'data-field': `${path}.event_name`, class: 'cell grow'}, event, h('span', {class: 'field-error'})),
        stepButtons)
      : h('div', {class: 'step-line'},
        h('span', {class: 'or-word'}, 'or'),
        h('span', {'data-field': `${path}.event_name`, class: 'cell grow'}, event, h('span', {class: 'field-error'})),
        h('button', {type: 'button', class: 'icon-button', 'aria-label': `Remove alternative ${j + 1} of step ${i + 1}`, 'data-testid': 'remove-alternative',
          onclick: () => { step.alternatives.splice(j, 1); renderSteps(); changed(); }}, '✕'));
    return h('div', {class: ['alternative', j && 'extra'], 'data-testid': 'alternative', 'data-field': several ? path : null},
      line,
      filters.length ? h('ul', {class: 'filters'}, filters) : null,
      h('button', {type: 'button', class: 'link-button add-filter', 'data-testid': 'add-filter',
        onclick: () => { alt.filters.push({property: '', op: 'eq', text: ''}); renderSteps(); changed(); }}, '+ property filter'),
      several ? h('p', {class: 'field-error'}) : null);
  }

  /** The step's optional name and, after the first step, its time limit since the previous one. */
  function stepOptions(step, i) {
    const nameInput = h('input', {
      id: `s${i}-name`, class: 'step-name-input', value: step.name, maxlength: 200, autocomplete: 'off',
      placeholder: 'optional', 'data-testid': 'step-name',
      oninput: (e) => { step.name = e.target.value; changed(); },
    });
    const parts = [h('span', {class: 'cell', 'data-field': `steps[${i}].name`},
      h('span', {class: 'pair'}, h('label', {for: nameInput.id}, 'Step name'), nameInput),
      h('span', {class: 'field-error'}))];
    if (i > 0) {
      const unordered = order.value === 'unordered';
      const within = h('input', {
        id: `s${i}-within`, type: 'number', min: 1, step: 'any', value: step.withinValue, class: 'within-input',
        placeholder: 'any', disabled: unordered, 'aria-describedby': `s${i}-within-hint`, 'data-testid': 'step-within',
        oninput: (e) => { step.withinValue = e.target.value; changed(); },
      });
      const withinUnit = h('select', {
        'aria-label': `Step ${i + 1} time limit unit`, disabled: unordered, 'data-testid': 'step-within-unit',
        onchange: (e) => { step.withinUnit = e.target.value; changed(); },
      }, ['seconds', 'minutes', 'hours', 'days'].map((u) => h('option', {value: u, selected: u === step.withinUnit}, u)));
      parts.push(h('span', {class: 'cell', 'data-field': `steps[${i}].within_seconds`},
        h('span', {class: 'pair'}, h('label', {for: within.id}, 'Within'), within, withinUnit, h('span', {class: 'after'}, `of step ${i}`)),
        h('span', {class: ['hint', !unordered && 'visually-hidden'], id: `s${i}-within-hint`, 'data-testid': 'within-hint'},
          withinHint(unordered)),
        h('span', {class: 'field-error'})));
    }
    return h('div', {class: 'step-options'}, parts);
  }

  function renderSteps() {
    stepsBox.replaceChildren(...model.steps.map((step, i) => {
      const stepButtons = [
        h('button', {type: 'button', class: 'icon-button', 'aria-label': `Move step ${i + 1} up`, disabled: i === 0,
          onclick: () => { model.steps.splice(i - 1, 0, model.steps.splice(i, 1)[0]); renderSteps(); changed(); }}, '↑'),
        h('button', {type: 'button', class: 'icon-button', 'aria-label': `Move step ${i + 1} down`, disabled: i === model.steps.length - 1,
          onclick: () => { model.steps.splice(i + 1, 0, model.steps.splice(i, 1)[0]); renderSteps(); changed(); }}, '↓'),
        h('button', {type: 'button', class: 'icon-button', 'aria-label': `Remove step ${i + 1}`,
          onclick: () => { model.steps.splice(i, 1); renderSteps(); changed(); }}, '✕')];
      const full = step.alternatives.length >= MAX_ALTERNATIVES;
      return h('li', {class: 'step-item', 'data-field': `steps[${i}]`, 'data-testid': 'step-item'},
        step.alternatives.map((alt, j) => alternativeBlock(step, i, j, stepButtons)),
        h('div', {'data-field': `steps[${i}].any_of`},
          h('button', {type: 'button', class: 'link-button add-alternative', 'data-testid': 'add-alternative', disabled: full,
            title: full ? `A step has at most ${MAX_ALTERNATIVES} alternatives` : null,
            onclick: () => {
              step.alternatives.push(alternativeModel({}));
              renderSteps();
              changed();
              [...stepsBox.children[i].querySelectorAll('.alternative .step-event')].pop().focus();
            }}, '+ or another event'),
          h('p', {class: 'field-error'})),
        stepOptions(step, i),
        h('p', {class: 'field-error'}));
    }));
  }

  /** Time limits mean nothing without an order of steps: their fields follow the order mode. */
  function syncWithin() {
    const unordered = order.value === 'unordered';
    stepsBox.querySelectorAll('[data-testid="step-within"], [data-testid="step-within-unit"]').forEach((el) => { el.disabled = unordered; });
    stepsBox.querySelectorAll('[data-testid="within-hint"]').forEach((el) => {
      el.textContent = withinHint(unordered);
      // Said aloud always (aria-describedby); shown only when it explains a disabled field.
      el.classList.toggle('visually-hidden', !unordered);
    });
  }

  // --- immediate check: the API validates (and previews) the definition as it is typed --------

  let timer = null;
  let checks = 0;
  let stopPreview = null;
  function changed() {
    orderHelp.textContent = ORDER_HELP[order.value];
    syncWithin();
    countProperty.hidden = countMode.value !== 'property';
    clearTimeout(timer);
    timer = setTimeout(check, 500);
  }

  async function check() {
    const mine = ++checks;
    previewStatus.textContent = 'Checking…';
    try {
      const def = definition();
      const report = await post(`${base}/report`, def);
      if (mine !== checks || !ctx.alive()) return;
      clearErrors();
      const unit = unitOf(def.count_by);
      previewStatus.textContent = `Valid. Preview: ${units(report.steps[0].users, unit)} entered, ${fmt.percent(report.steps[report.steps.length - 1].conversion_from_first)} converted.`;
      if (stopPreview) stopPreview();
      // The preview's people come from the definition it shows (POST .../report/actors).
      const onSelect = (cell) => {
        const panel = peoplePanel(ctx, {appId, definition: def}, cell, {steps: report.steps, report, funnelName: def.name, countBy: def.count_by},
          {onClose: () => previewPeople.replaceChildren()});
        previewPeople.replaceChildren(panel);
        panel.focusHeading();
      };
      previewPeople.replaceChildren();
      stopPreview = responsive(previewChart, (w) => previewChart.replaceChildren(funnelChart(report.steps, w, {onSelect, definition: def, unit})));
    } catch (err) {
      if (mine !== checks || !ctx.alive()) return;
      if (err.status === 422 || err.status === 400) {
        showErrors(err);
        previewStatus.textContent = 'Not valid yet: see the messages next to the fields.';
      } else {
        previewStatus.textContent = `Preview unavailable: ${err.message}`;
      }
    }
  }

  const save = h('button', {type: 'submit', class: 'button primary', id: 'save-funnel', 'data-testid': 'save-funnel'}, original ? 'Save changes' : 'Create funnel');
  form.addEventListener('input', (e) => { if (!e.target.closest('.steps-editor')) changed(); });
  form.addEventListener('change', (e) => { if (!e.target.closest('.steps-editor')) changed(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    checks++;
    save.disabled = true;
    try {
      const saved = original ? await put(`${base}/${funnelId}`, definition()) : await post(base, definition());
      ctx.flash(original ? `Saved version ${saved.version}.` : 'Funnel created.');
      ctx.navigate(`#/apps/${appId}/funnels/${saved.funnel_id}`);
    } catch (err) {
      showErrors(err);
      formErrors.focus();
    } finally {
      save.disabled = false;
    }
  });
  formErrors.setAttribute('tabindex', '-1');

  form.append(...[
    h('div', {class: 'form-grid'},
      field('Name', name, {errorFor: 'name'}),
      h('div', {class: 'field', 'data-field': 'window_seconds'},
        h('label', {for: 'f-window'}, 'Conversion window'),
        h('div', {class: 'pair'}, windowInput, unit),
        h('p', {class: 'hint'}, 'From each user\'s first step; a step exactly at the end still counts.'),
        h('p', {class: 'field-error'})),
      h('div', {class: 'field', 'data-field': 'order'}, h('label', {for: 'f-order'}, 'Order'), order, orderHelp, h('p', {class: 'field-error'})),
      h('div', {class: 'field', 'data-field': 'count_by'},
        h('label', {for: 'f-count'}, 'Count'),
        h('div', {class: 'pair'}, countMode, h('span', {class: 'cell grow', 'data-field': 'count_by.property'}, countProperty, h('span', {class: 'field-error'}))),
        h('p', {class: 'hint'}, 'Accounts: each value of the property (e.g. company_id) is one, whoever sent its events; events without it are left out.'),
        h('p', {class: 'field-error'}))),
    h('fieldset', {class: 'steps-fieldset', 'data-field': 'steps'},
      h('legend', {}, 'Steps'),
      stepsBox,
      h('button', {type: 'button', class: 'button', id: 'add-step', 'data-testid': 'add-step',
        onclick: () => { model.steps.push(emptyStep()); renderSteps(); changed(); stepsBox.querySelector('li:last-child .step-event').focus(); }}, '+ Add step'),
      h('p', {class: 'field-error'})),
    h('div', {class: 'form-grid'},
      field('Breakdown by property (default)', breakdown, {errorFor: 'breakdown'}),
      field('Trend (default)', interval, {errorFor: 'interval'}),
      field('Hold constant (properties)', holdConstant, {errorFor: 'hold_constant', hint: 'Every step of a chain must carry the same value.'})),
    picker ? picker.element : null,
    original && original.exclusions && original.exclusions.length
      ? h('p', {class: 'hint'}, `This funnel has ${original.exclusions.length} exclusion step(s); they are kept as they are.`) : null,
    h('div', {'data-field': 'funnel'}, h('p', {class: 'field-error'})),
    formErrors,
    h('div', {class: 'actions'}, save,
      h('a', {class: 'button subtle', href: original ? `#/apps/${appId}/funnels/${funnelId}` : '#/'}, 'Cancel')),
    eventList, propertyList].filter(Boolean));

  renderSteps();
  mount(main,
    h('div', {class: 'page-head'}, h('div', {},
      h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Apps'), ' / ', `app ${appId}`),
      h('h1', {}, original ? `Edit “${original.name}”` : 'New funnel'))),
    h('div', {class: 'editor-layout'},
      h('section', {class: 'card'}, form),
      h('aside', {class: 'card preview'}, h('h2', {}, 'Live check'), previewStatus, previewChart, previewPeople)));
  if (original) check();
  else name.focus();
  return () => {
    clearTimeout(timer);
    if (stopPreview) stopPreview();
  };
}
