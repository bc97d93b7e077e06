// How steps and counting units read: a step's name, its alternatives, its time limit, and what a
// funnel counts (people, or the values of a property such as an account id). Plain functions over
// the API's definition and report JSON, shared by the editor, the report, its charts and panels.

import * as fmt from './format.js';

/** The label of a report step: its name (the server fills it with the event name when unnamed). */
export function stepLabel(step) {
  return (step && (step.name || step.event_name)) || '';
}

/** The label of a definition step: its name, else its event name or its first alternative's. */
export function definitionStepLabel(step) {
  if (!step) return '';
  if (step.name) return step.name;
  if (step.event_name) return step.event_name;
  return step.any_of && step.any_of.length ? step.any_of[0].event_name : '';
}

/** A definition step's alternatives as {event_name, filters}: one for a plain step. */
export function alternativesOf(step) {
  if (!step) return [];
  if (step.any_of) return step.any_of;
  return [{event_name: step.event_name, filters: step.filters}];
}

/** The events that take a definition step, quoted: "“signup”", "“checkout_web” or “checkout_app”". */
export function eventNamesText(step, fallback) {
  const names = [...new Set(alternativesOf(step).map((alt) => alt.event_name).filter(Boolean))];
  return names.length ? names.map((n) => `“${n}”`).join(' or ') : `“${fallback}”`;
}

/** A step's time limit as it reads on its label: "within 5 min". */
export function withinText(seconds) {
  return `within ${fmt.duration(seconds)}`;
}

const OP_SIGNS = {
  eq: '=', neq: '≠', in: 'in', contains: 'contains', gt: '>', gte: '≥', lt: '<', lte: '≤',
};

/** One filter, short: "store = ios", "plan in pro, team", "coupon is set". */
export function filterText(filter) {
  const name = filter.source === 'user' ? `${filter.property} (person)` : filter.property;
  if (filter.op === 'is_set') return `${name} is set`;
  if (filter.op === 'is_not_set') return `${name} is not set`;
  const value = Array.isArray(filter.value) ? filter.value.join(', ') : String(filter.value);
  return `${name} ${OP_SIGNS[filter.op] || filter.op} ${value}`;
}

/**
 * An alternative of a report step as it reads: its event name, with the filters of the matching
 * alternative of the definition when there is one ("checkout_app where store = ios").
 */
export function alternativeLabel(alternative, definitionStep) {
  const own = definitionStep && definitionStep.any_of ? definitionStep.any_of[alternative.index] : null;
  const filters = own && own.event_name === alternative.event_name ? own.filters || [] : [];
  return filters.length ? `${alternative.event_name} where ${filters.map(filterText).join(' and ')}` : alternative.event_name;
}

/**
 * The words for what a funnel counts. People by default; with count_by the values of a property,
 * called accounts: {property, one, many, title, listed}.
 */
export function unitOf(countBy) {
  if (countBy && countBy.property) {
    const property = countBy.property;
    return {property, one: 'account', many: 'accounts', title: 'Accounts', listed: `${property} values`};
  }
  return {property: null, one: 'user', many: 'users', title: 'Users', listed: 'people'};
}

/** "1 user", "12 accounts". */
export function units(n, unit) {
  return `${fmt.count(n)} ${n === 1 ? unit.one : unit.many}`;
}

/** What a count_by funnel counts, in a sentence, with the step events it leaves out. */
export function countByText(countBy) {
  const property = countBy.property;
  const left = countBy.unassigned_events;
  const out = left === undefined || left === null ? ''
    : ` ${left === 1 ? '1 step event' : `${fmt.count(left)} step events`} without ${property} ${left === 1 ? 'is' : 'are'} left out.`;
  return `Counts accounts by ${property}: each value of ${property} is one account, whichever of its people sent the events.${out}`;
}
