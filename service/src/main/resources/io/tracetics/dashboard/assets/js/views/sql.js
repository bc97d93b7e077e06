import {h, mount, field} from '../dom.js';
import {post} from '../api.js';
import * as fmt from '../format.js';
import {resultTools} from './sql-chart.js';

const EXAMPLE = `SELECT event_name,
       count(*) AS events,
       count(DISTINCT user_identifier) AS users
FROM events
GROUP BY event_name
ORDER BY events DESC`;

const QUERY_KEY = 'tracetics.sqlQuery';
const SHOWN_ROWS = 1000;
const NUMERIC = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|REAL|DECIMAL.*)$/;

function cell(value) {
  if (value === null || value === undefined) return h('td', {class: 'null'}, 'NULL');
  if (typeof value === 'number') return h('td', {class: 'num'}, String(value));
  if (typeof value === 'object') return h('td', {class: 'json'}, JSON.stringify(value));
  return h('td', {}, String(value));
}

/** A SQL console over one app's events: a result table, or the API's message for a refusal. */
export async function sqlView(main, ctx, appId) {
  const apps = await ctx.apps();
  if (!ctx.alive()) return;
  if (!appId) {
    const remembered = ctx.lastApp();
    const app = apps.find((a) => a.app_id === remembered) || apps[0];
    if (app) {
      ctx.navigate(`#/apps/${app.app_id}/sql`);
    } else {
      mount(main, h('section', {class: 'card'}, h('h1', {}, 'SQL console'), h('p', {}, 'Add an app first: ', h('a', {href: '#/'}, 'Apps'), '.')));
    }
    return;
  }
  ctx.rememberApp(appId);
  ctx.title('SQL console');

  const picker = h('select', {id: 'sql-app', onchange: (e) => ctx.navigate(`#/apps/${e.target.value}/sql`)},
    apps.map((a) => h('option', {value: a.app_id, selected: a.app_id === appId}, `${a.name} (app ${a.app_id})`)));
  const editor = h('textarea', {
    id: 'sql-query', rows: 8, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    'data-testid': 'sql-query', value: sessionStorage.getItem(QUERY_KEY) || EXAMPLE,
  });
  const run = h('button', {type: 'submit', class: 'button primary', id: 'run-sql', 'data-testid': 'run-sql'}, 'Run');
  const output = h('div', {class: 'sql-output', 'aria-live': 'polite'});
  let tools = null;

  async function execute() {
    const query = editor.value;
    sessionStorage.setItem(QUERY_KEY, query);
    run.disabled = true;
    output.replaceChildren(h('p', {class: 'muted'}, 'Running…'));
    try {
      const result = await post(`/api/v1/apps/${appId}/sql`, {query});
      if (!ctx.alive()) return;
      const rows = result.rows.slice(0, SHOWN_ROWS);
      const summary = `${fmt.count(result.row_count)} row${result.row_count === 1 ? '' : 's'} in ${fmt.count(result.elapsed_ms)} ms`
        + (result.truncated ? ' · cut at the server\'s row limit' : '')
        + (result.row_count > rows.length ? ` · showing the first ${fmt.count(rows.length)}` : '');
      if (tools) tools.stop();
      tools = resultTools(result, rows, {appId, query});
      output.replaceChildren(
        h('p', {class: 'result-summary', 'data-testid': 'sql-summary'}, summary),
        tools.toolbar, tools.chart,
        h('div', {class: 'table-wrap tall'}, h('table', {class: 'data sql-result', 'data-testid': 'sql-result'},
          h('thead', {}, h('tr', {}, result.columns.map((c) => h('th', {scope: 'col', class: NUMERIC.test(c.type) ? 'num' : ''}, c.name, h('span', {class: 'type'}, c.type))))),
          h('tbody', {}, rows.map((r) => h('tr', {}, r.map(cell)))))));
    } catch (err) {
      if (!ctx.alive()) return;
      output.replaceChildren(h('div', {class: 'error-box', role: 'alert', 'data-testid': 'sql-error'},
        h('strong', {}, err.status === 429 ? 'Busy' : 'Query refused'),
        h('code', {class: 'error-key'}, err.key),
        h('p', {'data-testid': 'sql-error-message'}, err.message)));
    } finally {
      run.disabled = false;
    }
  }

  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      execute();
    }
  });

  mount(main,
    h('div', {class: 'page-head'}, h('div', {}, h('h1', {}, 'SQL console'),
      h('p', {class: 'muted'}, 'Read-only DuckDB SQL over one relation, ', h('code', {}, 'events'),
        ' (event_id, user_identifier, event_name, event_time, received_at, metadata JSON), holding only this app\'s events.'))),
    h('form', {class: 'card sql-form', onsubmit: (e) => { e.preventDefault(); execute(); }},
      field('App', picker),
      field('Query', editor, {hint: 'One SELECT. Ctrl+Enter runs it. Example: metadata->>\'plan\' reads a property. Two columns, a label or time and a number, can be drawn as a chart.'}),
      h('div', {class: 'actions'}, run)),
    output);
  return () => { if (tools) tools.stop(); };
}
