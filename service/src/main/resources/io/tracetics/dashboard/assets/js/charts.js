// Hand-written SVG charts: the funnel (one bar per step), grouped bars for a breakdown and a
// conversion trend. Colours are the Okabe-Ito palette (safe for colour-blind readers); every
// number is also written as text, and each chart has a table next to it.

import {h, s, clear} from './dom.js';
import * as fmt from './format.js';
import {stepLabel, withinText, alternativeLabel, unitOf, units} from './steps.js';

export const PRIMARY = '#0072B2';
/** Okabe-Ito, in an order where neighbours differ in lightness too; grey for "other". */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
export const OTHER_COLOUR = '#7B8794';

let chartIds = 0;

/** Calls draw(width) now and whenever the container's width changes; returns a stop function. */
export function responsive(container, draw) {
  let width = 0;
  const redraw = () => {
    const w = Math.floor(container.clientWidth);
    if (w > 0 && w !== width) {
      width = w;
      draw(w);
    }
  };
  const observer = new ResizeObserver(redraw);
  observer.observe(container);
  redraw();
  return () => observer.disconnect();
}

// --- tooltip ---------------------------------------------------------------------------------

function tooltipEl() {
  return document.getElementById('tooltip');
}

function showTooltip(lines, x, y) {
  const tip = tooltipEl();
  if (!tip) return;
  clear(tip);
  lines.forEach((line, i) => tip.append(h(i === 0 ? 'strong' : 'div', {}, line)));
  tip.hidden = false;
  const width = tip.offsetWidth;
  const height = tip.offsetHeight;
  const left = Math.min(Math.max(8, x + 12), window.innerWidth - width - 8);
  const top = y - height - 12 < 8 ? y + 16 : y - height - 12;
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}

export function hideTooltip() {
  const tip = tooltipEl();
  if (tip) tip.hidden = true;
}

/** Hover, focus and touch show `lines` beside the element. */
export function withTooltip(el, lines) {
  el.setAttribute('tabindex', '0');
  el.setAttribute('aria-label', lines.join('. '));
  el.addEventListener('mousemove', (e) => showTooltip(lines, e.clientX, e.clientY));
  el.addEventListener('mouseleave', hideTooltip);
  el.addEventListener('focus', () => {
    const r = el.getBoundingClientRect();
    showTooltip(lines, r.left + r.width / 2, r.top);
  });
  el.addEventListener('blur', hideTooltip);
  return el;
}

/**
 * Makes a chart element a button: click, Enter or Space calls `activate` (the people behind it).
 * Without `activate` the element stays a plain focusable figure with its tooltip.
 */
function pressable(el, activate, hint) {
  if (!activate) return el;
  el.setAttribute('role', 'button');
  el.classList.add('pressable');
  el.setAttribute('aria-label', `${el.getAttribute('aria-label')}. ${hint}`);
  el.addEventListener('click', () => {
    hideTooltip();
    activate();
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      hideTooltip();
      activate();
    }
  });
  return el;
}

// --- shared pieces ---------------------------------------------------------------------------

function truncate(text, maxPixels, pxPerChar = 7.2) {
  const max = Math.max(3, Math.floor(maxPixels / pxPerChar));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function hatch(id) {
  return s('pattern', {id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)'},
    s('rect', {width: 6, height: 6, fill: '#EEF1F4'}),
    s('line', {x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#9AA5B1', 'stroke-width': 2}));
}

function yGrid(svg, {left, right, top, height, width, max, format}) {
  const g = s('g', {class: 'grid', 'aria-hidden': 'true'});
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = top + height - (height * i) / 4;
    g.append(s('line', {x1: left, x2: width - right, y1: y, y2: y, class: i === 0 ? 'axis' : 'gridline'}));
    g.append(s('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick'}, format(value)));
  }
  svg.append(g);
}

/**
 * A step's lines for its tooltip and accessible name. `definitionStep` (optional) gives its time
 * limit; `unit` what the funnel counts (people by default).
 */
export function stepTooltip(step, index, definitionStep = null, unit = unitOf(null)) {
  const ttc = step.time_to_convert || {};
  const lines = [
    `Step ${index + 1}: ${stepLabel(step)}`,
    units(step.users, unit),
    `${fmt.percent(step.conversion_from_first)} of step 1`,
  ];
  if (index > 0) {
    if (definitionStep && definitionStep.within_seconds) {
      lines.push(`Counts only ${withinText(definitionStep.within_seconds)} of step ${index}`);
    }
    lines.push(`${fmt.percent(step.conversion_from_previous)} of step ${index}, ${fmt.count(step.drop_off)} dropped off`);
    lines.push(`Time from step ${index}: median ${fmt.duration(ttc.median_seconds)}, p90 ${fmt.duration(ttc.p90_seconds)}, mean ${fmt.duration(ttc.mean_seconds)}`);
  }
  return lines;
}

/**
 * Under a step's bar, one row per alternative: its name and users, and a thin bar of its share of
 * the step's users. Focusable, with the numbers in words for screen readers.
 */
function alternativeRows(step, i, definitionStep, {left, width, top, unit, narrow}) {
  const rowH = 28;
  return step.alternatives.map((alt, k) => {
    const y = top + k * rowH;
    const share = step.users > 0 ? alt.users / step.users : 0;
    const label = alternativeLabel(alt, definitionStep);
    const number = fmt.count(alt.users);
    const pxPerChar = narrow ? 6.2 : 6.6;
    const g = s('g', {class: 'alternative', 'data-step': i, 'data-alternative': alt.index, 'data-users': alt.users, 'data-testid': 'alternative-bar'},
      s('text', {x: left, y: y + 11, class: 'alt-name'}, truncate(label, width - (number.length + 2) * pxPerChar, pxPerChar)),
      s('text', {x: left + width, y: y + 11, 'text-anchor': 'end', class: 'alt-value'}, number),
      s('rect', {x: left, y: y + 15, width, height: 6, rx: 3, class: 'alt-track'}),
      s('rect', {x: left, y: y + 15, width: Math.max(alt.users > 0 ? 2 : 0, width * share), height: 6, rx: 3, fill: PRIMARY, class: 'alt-fill'}));
    return withTooltip(g, [
      `Step ${i + 1} “${stepLabel(step)}”, alternative ${alt.index + 1}: ${label}`,
      `${units(alt.users, unit)} took the step this way, ${fmt.percent(share)} of the step's ${fmt.count(step.users)}`,
    ]);
  });
}

// --- funnel ----------------------------------------------------------------------------------

/**
 * One bar per step: users, share of step 1, drop-off (hatched) and conversion from the previous;
 * under a bar its time limit and, for a step with alternatives, the users of each. `definition`
 * (optional): the funnel definition the report is of; `unit`: what it counts (people by default).
 */
export function funnelChart(steps, width, {onSelect, definition, unit = unitOf(null)} = {}) {
  const id = `c${++chartIds}`;
  const narrow = width < 560;
  const defSteps = (definition && definition.steps) || [];
  const limited = defSteps.some((d, i) => i > 0 && d && d.within_seconds);
  const altRows = Math.max(0, ...steps.map((st) => (st.alternatives ? st.alternatives.length : 0)));
  const extra = (limited ? 18 : 0) + (altRows ? 10 + altRows * 28 : 0);
  const height = (narrow ? 300 : 340) + extra;
  const m = {top: 28, right: 8, bottom: (narrow ? 66 : 70) + extra, left: 46};
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const n = steps.length;
  const band = plotW / Math.max(1, n);
  const barW = Math.min(band * (narrow ? 0.5 : 0.6), 150);
  const max = Math.max(1, steps.length ? steps[0].users : 1);
  const y = (v) => m.top + plotH * (1 - v / max);
  const svg = s('svg', {
    class: ['chart', 'funnel-chart', narrow && 'narrow'], width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'group', 'aria-label': `Funnel of ${n} steps`, 'data-testid': 'funnel-chart',
  }, s('defs', {}, hatch(`${id}-hatch`)));
  yGrid(svg, {left: m.left, right: m.right, top: m.top, height: plotH, width, max: 1, format: fmt.percent});

  steps.forEach((step, i) => {
    const x = m.left + band * i + (band - barW) / 2;
    const cx = x + barW / 2;
    const g = s('g', {class: 'step', 'data-step': i, 'data-users': step.users});
    let drop = null;
    if (i > 0 && steps[i - 1].users > step.users) {
      // The drop-off is its own target: the people who reached the previous step but not this one.
      const top = y(steps[i - 1].users);
      const ghostH = y(step.users) - top;
      drop = s('g', {class: 'drop', 'data-step': i, 'data-users': step.drop_off},
        s('rect', {x, y: top, width: barW, height: ghostH, fill: `url(#${id}-hatch)`, class: 'ghost'}));
      if (ghostH >= 20 && barW >= 44) {
        drop.append(s('text', {x: cx, y: top + Math.min(ghostH / 2 + 4, 18), 'text-anchor': 'middle', class: 'drop-label halo', 'data-testid': 'drop-label'},
          `−${fmt.count(step.drop_off)}`));
      }
    }
    const barTop = y(step.users);
    const barH = Math.max(step.users > 0 ? 1 : 0, m.top + plotH - barTop);
    g.append(s('rect', {x, y: m.top + plotH - barH, width: barW, height: barH, rx: 2, fill: PRIMARY, class: 'bar'}));
    const inside = barH >= 26;
    g.append(s('text', {
      x: cx, y: inside ? barTop + 18 : barTop - 6, 'text-anchor': 'middle',
      class: inside ? 'bar-value inside' : 'bar-value halo', 'data-testid': 'bar-users',
    }, fmt.count(step.users)));
    const base = m.top + plotH;
    g.append(s('text', {x: cx, y: base + 18, 'text-anchor': 'middle', class: 'step-name', 'data-testid': 'step-label'},
      truncate(`${i + 1}. ${stepLabel(step)}`, band - 6, narrow ? 6.8 : 7.6)));
    g.append(s('text', {x: cx, y: base + 36, 'text-anchor': 'middle', class: 'step-conv', 'data-testid': 'bar-conversion'},
      i === 0 ? '100%' : `${fmt.percent(step.conversion_from_first)}${narrow ? '' : ' of step 1'}`));
    if (i > 0) {
      const median = step.time_to_convert && step.time_to_convert.median_seconds;
      g.append(s('text', {x: cx, y: base + 53, 'text-anchor': 'middle', class: 'step-time'},
        median === null || median === undefined ? '' : `${narrow ? '' : 'median '}${fmt.duration(median)}`));
    }
    const within = i > 0 && defSteps[i] ? defSteps[i].within_seconds : null;
    if (within) {
      g.append(s('text', {x: cx, y: base + 71, 'text-anchor': 'middle', class: 'step-limit', 'data-testid': 'step-limit'},
        truncate(withinText(within), band - 6, 6.6)));
    }
    svg.append(pressable(withTooltip(g, stepTooltip(step, i, defSteps[i], unit)), onSelect && (() => onSelect({step: i, status: 'reached'})),
      `Press Enter to list the ${unit.property ? unit.listed : 'people'} who reached it`));
    if (step.alternatives && step.alternatives.length) {
      const top = base + 53 + (limited ? 18 : 0) + 14;
      svg.append(...alternativeRows(step, i, defSteps[i], {left: m.left + band * i + 6, width: band - 12, top, unit, narrow}));
    }
    if (drop) {
      svg.append(pressable(withTooltip(drop, [
        `Dropped off before step ${i + 1}: ${stepLabel(step)}`,
        `${units(step.drop_off, unit)} reached step ${i} but not step ${i + 1}`,
      ]), onSelect && (() => onSelect({step: i, status: 'dropped'})), 'Press Enter to list them'));
    }

    if (i > 0) {
      // Conversion from the previous step, in the gap between the two bars.
      const gx = m.left + band * i;
      // On a phone the gap is narrow: the arrow goes, the number stays.
      const label = `${fmt.percent(step.conversion_from_previous)}${narrow ? '' : '→'}`;
      const w = label.length * (narrow ? 6.8 : 7.4) + (narrow ? 8 : 12);
      const gy = m.top + plotH * 0.55;
      svg.append(s('g', {class: 'between', 'aria-hidden': 'true', 'data-testid': 'between-label'},
        s('rect', {x: gx - w / 2, y: gy - 11, width: w, height: 20, rx: 10, class: 'pill'}),
        s('text', {x: gx, y: gy + 3, 'text-anchor': 'middle', class: 'pill-text'}, label)));
    }
  });
  return svg;
}

// --- breakdown: grouped bars -----------------------------------------------------------------

export function groupColour(group, index) {
  return group.other ? OTHER_COLOUR : PALETTE[index % PALETTE.length];
}

export function groupLabel(group) {
  if (group.other) return 'Other values';
  return group.value === null || group.value === undefined ? '(not set)' : String(group.value);
}

/** For each step, one bar per breakdown value: the share of that value's step-1 users. */
export function groupedChart(groups, width, {onSelect, unit = unitOf(null)} = {}) {
  const narrow = width < 560;
  const height = narrow ? 260 : 300;
  const m = {top: 22, right: 8, bottom: 34, left: 46};
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const n = groups.length ? groups[0].steps.length : 0;
  const band = plotW / Math.max(1, n);
  const inner = band * 0.8;
  const barW = Math.max(3, Math.min(inner / Math.max(1, groups.length), 48));
  const svg = s('svg', {
    class: ['chart', 'grouped-chart', narrow && 'narrow'], width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'group', 'aria-label': 'Conversion from step 1 by breakdown value', 'data-testid': 'breakdown-chart',
  });
  yGrid(svg, {left: m.left, right: m.right, top: m.top, height: plotH, width, max: 1, format: fmt.percent});
  for (let i = 0; i < n; i++) {
    const start = m.left + band * i + (band - barW * groups.length) / 2;
    groups.forEach((group, k) => {
      const step = group.steps[i];
      const ratio = step.conversion_from_first || 0;
      const barH = Math.max(step.users > 0 ? 1 : 0, plotH * ratio);
      const x = start + k * barW;
      const g = s('g', {class: 'group-bar', 'data-group': k, 'data-step': i, 'data-users': step.users},
        s('rect', {x: x + 1, y: m.top + plotH - barH, width: barW - 2, height: barH, fill: groupColour(group, k), class: 'bar outlined'}));
      if (barW >= 30) {
        g.append(s('text', {x: x + barW / 2, y: m.top + plotH - barH - 5, 'text-anchor': 'middle', class: 'small-value halo'},
          fmt.percent(ratio)));
      }
      svg.append(pressable(withTooltip(g, [
        `${groupLabel(group)}, step ${i + 1}: ${stepLabel(step)}`,
        `${units(step.users, unit)}, ${fmt.percent(ratio)} of step 1`,
        i > 0 ? `${fmt.percent(step.conversion_from_previous)} of step ${i}` : 'Entered the funnel',
      ]), onSelect && (() => onSelect({step: i, status: 'reached', group})), 'Press Enter to list these people'));
    });
    const name = groups.length ? stepLabel(groups[0].steps[i]) : '';
    svg.append(s('text', {x: m.left + band * i + band / 2, y: m.top + plotH + 20, 'text-anchor': 'middle', class: 'step-name'},
      truncate(`${i + 1}. ${name}`, band - 6, narrow ? 6.8 : 7.6)));
  }
  return svg;
}

// --- trend -----------------------------------------------------------------------------------

function shortPeriod(period) {
  const d = new Date(`${period}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return period;
  return d.toLocaleDateString('en-US', {month: 'short', day: 'numeric', timeZone: 'UTC'});
}

/** Conversion rate (entered -> completed the last step) per entry day or week. */
export function trendChart(points, width, interval, {onSelect} = {}) {
  const narrow = width < 560;
  const height = narrow ? 220 : 260;
  const m = {top: 22, right: 18, bottom: 34, left: 46};
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const maxRate = Math.max(0, ...points.map((p) => p.conversion_rate || 0));
  // A top whose quarters are round numbers.
  const max = [0.04, 0.2, 0.4, 0.8, 1].find((top) => maxRate <= top) || 1;
  const x = (i) => m.left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (v) => m.top + plotH * (1 - v / max);
  const svg = s('svg', {
    class: ['chart', 'trend-chart', narrow && 'narrow'], width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'group', 'aria-label': `Conversion rate by entry ${interval}`, 'data-testid': 'trend-chart',
  });
  yGrid(svg, {left: m.left, right: m.right, top: m.top, height: plotH, width, max, format: fmt.percent});
  if (points.length > 1) {
    const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.conversion_rate || 0).toFixed(1)}`).join(' ');
    svg.append(s('path', {d: `${line} L${x(points.length - 1).toFixed(1)},${m.top + plotH} L${x(0).toFixed(1)},${m.top + plotH} Z`, class: 'trend-area'}));
    svg.append(s('path', {d: line, class: 'trend-line', stroke: PRIMARY}));
  }
  const every = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(plotW / 70))));
  const labelled = points.length <= Math.floor(plotW / 44);
  points.forEach((p, i) => {
    const g = s('g', {class: 'trend-point', 'data-period': p.period},
      s('circle', {cx: x(i), cy: y(p.conversion_rate || 0), r: 4.5, fill: PRIMARY, stroke: '#fff', 'stroke-width': 1.5}));
    if (labelled) {
      g.append(s('text', {x: x(i), y: y(p.conversion_rate || 0) - 9, 'text-anchor': 'middle', class: 'small-value halo'},
        fmt.percent(p.conversion_rate)));
    }
    svg.append(pressable(withTooltip(g, [
      `${interval === 'week' ? 'Week of ' : ''}${p.period}`,
      `${fmt.count(p.entered)} entered, ${fmt.count(p.completed)} completed`,
      `${fmt.percent(p.conversion_rate)} converted`,
    ]), onSelect && (() => onSelect({period: p.period, completed: true})), 'Press Enter to list the people who completed'));
    if (i % every === 0) {
      svg.append(s('text', {x: x(i), y: m.top + plotH + 20, 'text-anchor': 'middle', class: 'tick'}, shortPeriod(p.period)));
    }
  });
  return svg;
}
