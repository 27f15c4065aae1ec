export function percent(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)}%`;
}

export function interval(lower, upper, digits = 1) {
  return lower === null || lower === undefined ? '–' : `${percent(lower, digits)} to ${percent(upper, digits)}`;
}

export function fraction(numerator, denominator) {
  return `${numerator}/${denominator}`;
}

export function number(value, digits = 2) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

export function role(viewer) {
  return viewer.role === 'reviewer' ? 'national safety reviewer' : `governance lead, trust ${viewer.trustOds}`;
}

export function dateTime(text) {
  if (!text) return '–';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? String(text) : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
