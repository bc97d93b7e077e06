// An app's alerts: the list with state and last evaluation, a form to create one (its webhook
// secret shown once), and delete.

import {h, mount, field} from '../dom.js';
import {get, post, del} from '../api.js';
import * as fmt from '../format.js';
import {definitionStepLabel} from '../steps.js';

const METRICS = [
  ['conversion_from_first', 'Conversion from the first step'],
  ['conversion_from_previous', 'Conversion from the previous step'],
  ['median_seconds', 'Median time to convert (seconds)'],
];
const CONDITIONS = [['below', 'is below'], ['above', 'is above'], ['drop_pct', 'drops by at least (%)']];

function metricValue(metric, value) {
  if (value === null || value === undefined) return '–';
  return metric === 'median_seconds' ? fmt.duration(value) : fmt.percent(value);
}

function conditionText(alert) {
  const [kind, x] = Object.entries(alert.condition)[0];
  if (kind === 'drop_pct') return `drops ≥ ${fmt.number(x)}% vs the previous period`;
  return `${kind === 'below' ? '<' : '>'} ${metricValue(alert.metric, x)}`;
}

function lastEvaluation(alert) {
  const e = alert.last_evaluation;
  if (!e) return h('span', {class: 'muted'}, 'not evaluated yet');
  const outcome = e.outcome === 'not_evaluable' ? 'not evaluable' : e.outcome === 'true' ? 'holds' : 'does not hold';
  return h('span', {title: fmt.dateTime(e.at)},
    `${metricValue(alert.metric, e.value)} · ${fmt.count(e.entered)} entered · ${outcome} · ${fmt.ago(e.at)}`);
}

/** The alerts of one app. */
export async function alertsView(main, ctx, appId) {
  const [apps, funnelList, alertList] = await Promise.all([
    ctx.apps(),
    get(`/api/v1/apps/${appId}/funnels`),
    get(`/api/v1/apps/${appId}/alerts`),
  ]);
  if (!ctx.alive()) return;
  ctx.rememberApp(appId);
  const app = apps.find((a) => a.app_id === appId);
  ctx.title(`Alerts · ${app ? app.name : `app ${appId}`}`);
  const funnels = funnelList.funnels;
  const byId = new Map(funnels.map((f) => [f.funnel_id, f]));
  const flash = ctx.takeFlash();

  const rows = alertList.alerts.map((alert) => {
    const funnel = byId.get(alert.funnel_id);
    const funnelName = funnel ? funnel.name : `funnel ${alert.funnel_id} (deleted)`;
    const step = funnel && funnel.steps[alert.step] ? definitionStepLabel(funnel.steps[alert.step]) : `step ${alert.step}`;
    const remove = h('button', {type: 'button', class: 'button small', 'data-testid': 'delete-alert', onclick: async () => {
      if (remove.dataset.armed !== 'true') {
        remove.dataset.armed = 'true';
        remove.textContent = 'Confirm delete';
        return;
      }
      remove.disabled = true;
      try {
        await del(`/api/v1/apps/${appId}/alerts/${alert.alert_id}`);
        ctx.flash(`Alert "${alert.name || alert.alert_id}" deleted.`);
        await alertsView(main, ctx, appId);
      } catch (err) {
        remove.disabled = false;
        remove.replaceWith(h('span', {class: 'error-box', role: 'alert'}, err.message));
      }
    }}, 'Delete');
    return h('tr', {'data-testid': 'alert-row', 'data-alert-id': alert.alert_id},
      h('th', {}, alert.name || `alert ${alert.alert_id}`),
      h('td', {class: 'wrap'}, h('a', {href: `#/apps/${appId}/funnels/${alert.funnel_id}`}, funnelName), ' · ', step),
      h('td', {class: 'wrap'}, `${METRICS.find((m) => m[0] === alert.metric)[1]} ${conditionText(alert)}`,
        h('br'), h('span', {class: 'muted'}, `when ≥ ${fmt.count(alert.min_entered)} entered`)),
      h('td', {}, h('span', {class: ['state', `state-${alert.state}`], 'data-testid': 'alert-state'}, alert.state)),
      h('td', {class: 'wrap'}, lastEvaluation(alert)),
      h('td', {class: 'wrap'}, h('code', {}, alert.webhook_url)),
      h('td', {}, ctx.can('funnels:write') ? remove : null));
  });

  const list = rows.length
    ? h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'alerts-table'},
      h('thead', {}, h('tr', {}, ['Alert', 'Funnel · step', 'Condition', 'State', 'Last evaluation', 'Webhook', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows)))
    : h('p', {class: 'muted', 'data-testid': 'no-alerts'}, 'No alerts yet.');

  mount(main,
    h('div', {class: 'page-head'}, h('h1', {}, `Alerts · ${app ? app.name : `app ${appId}`}`),
      h('a', {class: 'button', href: '#/'}, 'Back to apps')),
    flash ? h('p', {class: 'notice', role: 'status', 'data-testid': 'flash'}, flash) : null,
    h('section', {class: 'card'}, h('h2', {}, 'Alerts'),
      h('p', {class: 'muted'}, 'Checked after each refresh of the funnel\'s report; the webhook is called once when the condition starts to hold (fired) and once when it stops (resolved).'),
      list),
    !ctx.can('funnels:write') ? null
      : funnels.length
      ? createForm(main, ctx, appId, funnels)
      : h('section', {class: 'card'}, h('p', {}, 'Save a funnel first: alerts watch saved funnels. ',
        h('a', {href: `#/apps/${appId}/funnels/new`}, 'New funnel'), '.')));
}

function createForm(main, ctx, appId, funnels) {
  const name = h('input', {id: 'alert-name', maxlength: 200, placeholder: 'signups fell'});
  const funnel = h('select', {id: 'alert-funnel', 'data-testid': 'alert-funnel'},
    funnels.map((f) => h('option', {value: f.funnel_id}, f.name)));
  const step = h('select', {id: 'alert-step', 'data-testid': 'alert-step'});
  const fillSteps = () => {
    const f = funnels.find((x) => x.funnel_id === Number(funnel.value));
    step.replaceChildren(...f.steps.slice(1).map((s, i) => h('option', {value: i + 1}, `${i + 1}. ${definitionStepLabel(s)}`)));
  };
  funnel.addEventListener('change', fillSteps);
  fillSteps();
  const metric = h('select', {id: 'alert-metric', 'data-testid': 'alert-metric'},
    METRICS.map(([value, label]) => h('option', {value}, label)));
  const kind = h('select', {id: 'alert-condition', 'data-testid': 'alert-condition'},
    CONDITIONS.map(([value, label]) => h('option', {value}, label)));
  const threshold = h('input', {id: 'alert-threshold', type: 'number', step: 'any', 'data-testid': 'alert-threshold', placeholder: '0.05'});
  const minEntered = h('input', {id: 'alert-min-entered', type: 'number', min: 1, step: 1, value: '30', 'data-testid': 'alert-min-entered'});
  const url = h('input', {id: 'alert-webhook', type: 'url', placeholder: 'https://hooks.example.com/tracetics', 'data-testid': 'alert-webhook'});
  const result = h('div', {'aria-live': 'polite'});

  const form = h('form', {class: 'alert-form', novalidate: true, 'data-testid': 'alert-form', onsubmit: async (e) => {
    e.preventDefault();
    result.replaceChildren();
    const body = {
      funnel_id: Number(funnel.value),
      step: Number(step.value),
      metric: metric.value,
      condition: {[kind.value]: threshold.value === '' ? null : Number(threshold.value)},
      min_entered: minEntered.value === '' ? undefined : Number(minEntered.value),
      webhook_url: url.value,
    };
    if (name.value.trim()) body.name = name.value.trim();
    try {
      const created = await post(`/api/v1/apps/${appId}/alerts`, body);
      ctx.flash(`Alert "${created.name || created.alert_id}" created. Its signing secret (shown once; keep it to verify X-Tracetics-Signature): ${created.secret}`);
      await alertsView(main, ctx, appId);
    } catch (err) {
      result.replaceChildren(h('div', {class: 'error-box', role: 'alert', 'data-testid': 'alert-error'},
        err.message,
        err.violations.length > 1 ? h('ul', {}, err.violations.map((v) => h('li', {}, `${v.field}: ${v.message}`))) : null));
    }
  }},
  h('h2', {}, 'New alert'),
  h('div', {class: 'form-grid'},
    field('Name (optional)', name),
    field('Funnel', funnel),
    field('Step', step),
    field('Metric', metric),
    field('Condition', kind),
    field('Threshold', threshold, {hint: 'A share for conversions (0.05 is 5%), seconds for the median, percent for a drop.'}),
    field('Minimum entered', minEntered, {hint: 'Not judged while fewer people entered the funnel.'})),
  field('Webhook URL', url, {hint: 'http(s); private and loopback addresses are refused. Signed with X-Tracetics-Signature.'}),
  h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'button primary', 'data-testid': 'create-alert'}, 'Create alert')),
  result);
  return h('section', {class: 'card'}, form);
}
