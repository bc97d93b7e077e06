import {h, mount, field} from '../dom.js';
import {get, post, put} from '../api.js';
import * as fmt from '../format.js';
import {funnelChart, responsive} from '../charts.js';
import {eventNames, propertyNames} from './suggest.js';
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
    steps: original
      ? original.steps.map((st) => ({event_name: st.event_name, filters: (st.filters || []).map((f) => ({property: f.property, op: f.op, text: valueText(f.value), source: f.source}))}))
      : [{event_name: '', filters: []}, {event_name: '', filters: []}],
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
      steps: model.steps.map((st) => {
        const step = {event_name: st.event_name.trim()};
        if (st.filters.length) {
          step.filters = st.filters.map((f) => {
            const filter = {property: f.property.trim(), op: f.op};
            const value = wireValue(f.op, f.text);
            if (value !== undefined) filter.value = value;
            if (f.source) filter.source = f.source;
            return filter;
          });
        }
        return step;
      }),
    };
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

  function renderSteps() {
    stepsBox.replaceChildren(...model.steps.map((step, i) => {
      const event = h('input', {
        class: 'step-event', list: 'event-names', value: step.event_name, placeholder: 'event name',
        autocomplete: 'off', 'aria-label': `Step ${i + 1} event name`, 'data-testid': 'step-event',
        oninput: (e) => { step.event_name = e.target.value; changed(); },
      });
      const filters = step.filters.map((f, j) => {
        const property = h('input', {
          class: 'filter-property', list: 'property-names', value: f.property, placeholder: 'property',
          autocomplete: 'off', 'aria-label': `Step ${i + 1} filter ${j + 1} property`,
          oninput: (e) => { f.property = e.target.value; changed(); },
        });
        const value = h('input', {
          class: 'filter-value', value: f.text, placeholder: f.op === 'in' ? 'a, b, c' : 'value', hidden: NO_VALUE.has(f.op),
          autocomplete: 'off', 'aria-label': `Step ${i + 1} filter ${j + 1} value`,
          oninput: (e) => { f.text = e.target.value; changed(); },
        });
        const op = h('select', {
          class: 'filter-op', 'aria-label': `Step ${i + 1} filter ${j + 1} operator`,
          onchange: (e) => { f.op = e.target.value; value.hidden = NO_VALUE.has(f.op); value.placeholder = f.op === 'in' ? 'a, b, c' : 'value'; changed(); },
        }, OPS.map(([v, label]) => h('option', {value: v, selected: v === f.op}, label)));
        const path = `steps[${i}].filters[${j}]`;
        return h('li', {class: 'filter-row', 'data-field': path},
          h('span', {class: 'where'}, j ? 'and' : 'where'),
          h('span', {'data-field': `${path}.property`, class: 'cell'}, property, h('span', {class: 'field-error'})),
          h('span', {'data-field': `${path}.op`, class: 'cell'}, op, h('span', {class: 'field-error'})),
          h('span', {'data-field': `${path}.value`, class: 'cell'}, value, h('span', {class: 'field-error'})),
          h('button', {type: 'button', class: 'icon-button', 'aria-label': `Remove filter ${j + 1} of step ${i + 1}`,
            onclick: () => { step.filters.splice(j, 1); renderSteps(); changed(); }}, '✕'),
          h('span', {class: 'field-error'}));
      });
      return h('li', {class: 'step-item', 'data-field': `steps[${i}]`, 'data-testid': 'step-item'},
        h('div', {class: 'step-line'},
          h('span', {class: 'step-no', 'aria-hidden': 'true'}, String(i + 1)),
          h('span', {'data-field': `steps[${i}].event_name`, class: 'cell grow'}, event, h('span', {class: 'field-error'})),
          h('button', {type: 'button', class: 'icon-button', 'aria-label': `Move step ${i + 1} up`, disabled: i === 0,
            onclick: () => { model.steps.splice(i - 1, 0, model.steps.splice(i, 1)[0]); renderSteps(); changed(); }}, '↑'),
          h('button', {type: 'button', class: 'icon-button', 'aria-label': `Move step ${i + 1} down`, disabled: i === model.steps.length - 1,
            onclick: () => { model.steps.splice(i + 1, 0, model.steps.splice(i, 1)[0]); renderSteps(); changed(); }}, '↓'),
          h('button', {type: 'button', class: 'icon-button', 'aria-label': `Remove step ${i + 1}`,
            onclick: () => { model.steps.splice(i, 1); renderSteps(); changed(); }}, '✕')),
        filters.length ? h('ul', {class: 'filters'}, filters) : null,
        h('button', {type: 'button', class: 'link-button add-filter', 'data-testid': 'add-filter',
          onclick: () => { step.filters.push({property: '', op: 'eq', text: ''}); renderSteps(); changed(); }}, '+ property filter'),
        h('p', {class: 'field-error'}));
    }));
  }

  // --- immediate check: the API validates (and previews) the definition as it is typed --------

  let timer = null;
  let checks = 0;
  let stopPreview = null;
  function changed() {
    orderHelp.textContent = ORDER_HELP[order.value];
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
      previewStatus.textContent = `Valid. Preview: ${fmt.count(report.steps[0].users)} users entered, ${fmt.percent(report.steps[report.steps.length - 1].conversion_from_first)} converted.`;
      if (stopPreview) stopPreview();
      // The preview's people come from the definition it shows (POST .../report/actors).
      const onSelect = (cell) => {
        const panel = peoplePanel(ctx, {appId, definition: def}, cell, {steps: report.steps, report, funnelName: def.name},
          {onClose: () => previewPeople.replaceChildren()});
        previewPeople.replaceChildren(panel);
        panel.focusHeading();
      };
      previewPeople.replaceChildren();
      stopPreview = responsive(previewChart, (w) => previewChart.replaceChildren(funnelChart(report.steps, w, {onSelect})));
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
      h('div', {class: 'field', 'data-field': 'order'}, h('label', {for: 'f-order'}, 'Order'), order, orderHelp, h('p', {class: 'field-error'}))),
    h('fieldset', {class: 'steps-fieldset', 'data-field': 'steps'},
      h('legend', {}, 'Steps'),
      stepsBox,
      h('button', {type: 'button', class: 'button', id: 'add-step', 'data-testid': 'add-step',
        onclick: () => { model.steps.push({event_name: '', filters: []}); renderSteps(); changed(); stepsBox.querySelector('li:last-child .step-event').focus(); }}, '+ Add step'),
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
