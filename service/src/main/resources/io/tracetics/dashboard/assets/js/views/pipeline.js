import {h, mount} from '../dom.js';
import {get} from '../api.js';
import * as fmt from '../format.js';
import {quotaMeter} from './quota.js';
import {pipelineTrends} from './pipeline-trends.js';

function stat(label, value, note, testid) {
  return h('div', {class: 'stat', 'data-testid': testid},
    h('div', {class: 'stat-label'}, label),
    h('div', {class: 'stat-value'}, value),
    note ? h('div', {class: 'stat-note'}, note) : null);
}

function health(ok, text) {
  return h('span', {class: ['badge', ok ? 'ok' : 'bad']}, ok ? '✓ ' : '! ', text);
}

/**
 * How far an app's saved funnels lag behind its loaded events: their cached reports are refreshed
 * once per cluster, by the node holding the app's refresh lease.
 */
function savedFunnels(lag) {
  if (!lag) return h('td', {class: 'num', 'data-col': 'saved-funnels'}, '–');
  const refreshed = lag.last_refreshed_at
    ? `refreshed ${fmt.ago(lag.last_refreshed_at)}${lag.last_refreshed_by ? ` on ${lag.last_refreshed_by}` : ''}`
    : 'never refreshed';
  const holder = lag.lease_node
    ? (Date.parse(lag.lease_expires_at) < Date.now()
      ? `lease of ${lag.lease_node} expired, another node takes over`
      : `refreshing on ${lag.lease_node}`)
    : null;
  let value;
  if (lag.positions_behind === 0) {
    value = 'up to date';
  } else {
    const events = lag.events_behind === null ? `${fmt.count(lag.positions_behind)} loads` : `${fmt.count(lag.events_behind)} events`;
    value = health(false, `${events} behind · ${fmt.millis(lag.lag_ms)}`);
  }
  return h('td', {class: 'num', 'data-col': 'saved-funnels'},
    h('div', {'data-testid': 'saved-funnels-lag'}, value),
    h('div', {class: 'stat-note'}, holder || refreshed));
}

/** The pipeline as this tenant may see it: its ingest rate and backlog, the loader's lag and failures. */
export async function pipelineView(main, ctx) {
  ctx.title('Pipeline');
  const body = h('div', {class: 'pipeline'});
  const updated = h('p', {class: 'muted', 'data-testid': 'pipeline-updated'});
  const quota = h('div');
  const trends = pipelineTrends(ctx.state.tenant ? ctx.state.tenant.tenant_id : 0);
  mount(main,
    h('div', {class: 'page-head'}, h('div', {}, h('h1', {}, 'Pipeline'),
      h('p', {class: 'muted'}, 'Events go from ingest (MariaDB) through the queue to this node\'s DuckDB copy, where funnels and SQL read them. Updates every 5 seconds.'))),
    updated, quota, trends.element, body);

  async function load() {
    let status;
    let usage;
    try {
      [status, usage] = await Promise.all([get('/api/v1/tenant/pipeline'), get('/api/v1/usage')]);
    } catch (err) {
      if (ctx.alive()) body.replaceChildren(h('p', {class: 'error-box', role: 'alert'}, err.message));
      return;
    }
    if (!ctx.alive()) return;
    updated.textContent = `Node ${status.node} · as of ${fmt.dateTime(status.generated_at)}`;
    const lag = status.loader.lag_ms;
    const monthly = usage.monthly_events;
    quota.replaceChildren(quotaMeter(usage));
    trends.push(status);
    body.replaceChildren(
      h('section', {class: 'card'}, h('h2', {}, 'Ingest'),
        h('div', {class: 'stats'},
          stat('Events in the last minute', fmt.count(status.ingest.events_last_minute), `${fmt.number(status.ingest.per_second_1m)} per second`, 'stat-ingest'),
          stat('Events this month', fmt.count(monthly.used), monthly.limit ? `of ${fmt.count(monthly.limit)} (${usage.plan} plan)` : null, 'stat-month'),
          stat('Refused this month', fmt.count(monthly.rejected || 0), 'over the monthly quota', 'stat-rejected'))),
      h('section', {class: 'card'}, h('h2', {}, 'Queue'),
        h('div', {class: 'stats'},
          stat('Your events waiting', fmt.count(status.queue.waiting_events), 'committed, not yet queryable here', 'stat-waiting'),
          stat('Batches without an epoch', fmt.count(status.queue.unsequenced_batches), 'all tenants', 'stat-unsequenced'),
          stat('Epochs behind', fmt.count(status.queue.epochs_behind), 'this node\'s loader', 'stat-epochs'),
          h('div', {class: 'stat'}, h('div', {class: 'stat-label'}, 'Redis (work notices)'),
            h('div', {class: 'stat-value small'}, health(status.queue.redis === 'up', status.queue.redis)),
            h('div', {class: 'stat-note'}, 'if down, the loader polls MariaDB')))),
      h('section', {class: 'card'}, h('h2', {}, 'Loader'),
        h('div', {class: 'stats'},
          stat('Lag, median', lag.p50 ? fmt.millis(lag.p50) : '–', 'acknowledged → queryable, last minute', 'stat-lag'),
          stat('Lag, p95', lag.p95 ? fmt.millis(lag.p95) : '–', `max ${lag.max ? fmt.millis(lag.max) : '–'}`, 'stat-lag95'),
          stat('Failed batches', fmt.count(status.loader.failed_batches), `${fmt.count(status.loader.retried_batches)} retried`, 'stat-failed'),
          stat('Last load', fmt.ago(status.loader.last_success_at), `position ${fmt.count(status.loader.position)}`, 'stat-last'))),
      h('section', {class: 'card'}, h('h2', {}, 'Your apps'),
        h('div', {class: 'table-wrap'}, h('table', {class: 'data', 'data-testid': 'pipeline-apps'},
          h('thead', {}, h('tr', {}, ['App', 'Queryable events', 'Waiting', 'Lag', 'Saved funnels', 'Last minute', 'Quarantined', 'Newest loaded event']
            .map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
          h('tbody', {}, status.apps.map((a) => h('tr', {'data-testid': 'pipeline-app', 'data-app-id': a.app_id},
            h('th', {scope: 'row'}, `${a.name} (app ${a.app_id})`),
            h('td', {class: 'num', 'data-col': 'loaded'}, fmt.count(a.loaded_events)),
            h('td', {class: 'num', 'data-col': 'waiting'}, fmt.count(a.waiting_events)),
            h('td', {class: 'num', 'data-col': 'lag'}, a.waiting_events ? fmt.millis(a.lag_ms) : 'up to date'),
            savedFunnels(a.saved_funnels),
            h('td', {class: 'num', 'data-col': 'last-minute'}, fmt.count(a.events_last_minute)),
            h('td', {class: 'num', 'data-col': 'quarantined'}, a.quarantined_events ? health(false, fmt.count(a.quarantined_events)) : '0'),
            h('td', {class: 'num'}, a.loaded_through ? fmt.dateTime(a.loaded_through) : '–')))))),
        h('p', {class: 'hint'}, 'Saved funnels: how far their cached reports lag behind the loaded events. One node of the cluster refreshes them after each load; reports asked for meanwhile are computed on request. Quarantined events could not be loaded (for example metadata that is not a JSON object) and are never counted.')));
  }

  await load();
  const timer = setInterval(() => { if (!document.hidden) load(); }, 5000);
  return () => {
    clearInterval(timer);
    trends.stop();
  };
}
