// Times as heroku ps shows them: how long ago, in the largest unit that fits.

export function ago(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return '';
  }
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  return `${Math.floor(s / 86400)}d`;
}

/** A timestamp for people: local date and time to the second. */
export function when(iso) {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? (iso ?? '') : t.toLocaleString(undefined, {hour12: false});
}

export function clock(date = new Date()) {
  return date.toLocaleTimeString(undefined, {hour12: false});
}
