import {post} from '../api.js';

// Suggestions for the editor and report forms, asked of the app's own events with SQL.
// Best effort: a failure only means no suggestions.

async function column(appId, query) {
  try {
    const result = await post(`/api/v1/apps/${appId}/sql`, {query});
    return result.rows.map((r) => r[0]).filter((v) => typeof v === 'string');
  } catch (e) {
    return [];
  }
}

export function eventNames(appId) {
  return column(appId, 'SELECT event_name FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 200');
}

// json_each in FROM: the SQL console allows table functions there, not unnest as a scalar.
export function propertyNames(appId) {
  return column(appId,
    'SELECT key FROM events, json_each(events.metadata) GROUP BY 1 ORDER BY count(*) DESC LIMIT 100');
}
