// Numbers, percentages, durations and times as people read them.

const integer = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2});

export function count(n) {
  return n === null || n === undefined ? '–' : integer.format(n);
}

export function number(n) {
  return n === null || n === undefined ? '–' : decimal.format(n);
}

/** 0.4 -> "40%", 0.3333 -> "33.3%". */
export function percent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '–';
  const p = ratio * 100;
  const digits = p === 0 || p === 100 || p >= 10 ? (Number.isInteger(p) ? 0 : 1) : 1;
  return `${p.toFixed(digits).replace(/\.0$/, '')}%`;
}

/** Seconds -> "45 s", "1 min 5 s", "2 h 10 min", "3 d 4 h". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 86400) {
    const hrs = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${hrs} h ${m} min` : `${hrs} h`;
  }
  const d = Math.floor(s / 86400);
  const hrs = Math.round((s % 86400) / 3600);
  return hrs ? `${d} d ${hrs} h` : `${d} d`;
}

/** Milliseconds -> "310 ms", "2.4 s", or a duration. */
export function millis(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return duration(ms / 1000);
}

/** "3 s ago", "5 min ago", "2 h ago", or a date. */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `on ${dateTime(iso)}`;
}

/** An ISO time as "2026-01-05 10:00:03 UTC" (UTC: what the API and SQL use). */
export function dateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A window in seconds as the largest whole unit: [value, unit]. */
export function windowParts(seconds) {
  for (const [unit, size] of [['days', 86400], ['hours', 3600], ['minutes', 60]]) {
    if (seconds % size === 0) return [seconds / size, unit];
  }
  return [seconds, 'seconds'];
}

export const UNIT_SECONDS = {seconds: 1, minutes: 60, hours: 3600, days: 86400};

/** A difference of two shares in percentage points: 0.235 -> "+23.5 pp", -0.02 -> "−2 pp". */
export function points(difference) {
  if (difference === null || difference === undefined || Number.isNaN(difference)) return '–';
  const p = Math.round(difference * 1000) / 10;
  if (p === 0) return '0 pp';
  const text = Math.abs(p).toFixed(1).replace(/\.0$/, '');
  return `${p > 0 ? '+' : '−'}${text} pp`;
}

/** A p-value as people read it: "p < 0.001", "p = 0.042", "p = 0.42". */
export function pValue(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${Number(p.toPrecision(2))}`;
}

/** Adds a day to a YYYY-MM-DD date: "through" dates are inclusive, the API's `to` is exclusive. */
export function nextDay(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The day before an ISO time, as YYYY-MM-DD ('' for no time): the inclusive end of a range. */
export function previousDay(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
