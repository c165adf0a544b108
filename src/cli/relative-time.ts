/** "8m 12s", "3h 5m", "2d 4h": the two largest units, for people reading expiry times. */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = Math.round(Math.abs(seconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "expires in 8m 12s" / "expired 3m ago" for an expiry; "in 5s" / "3m ago" for other times. */
export function describeTime(epochSeconds: number, nowSeconds: number, kind: 'expiry' | 'time' = 'time'): string {
  const delta = epochSeconds - nowSeconds;
  const iso = new Date(epochSeconds * 1000).toISOString();
  if (kind === 'expiry')
    return `${iso} (${delta > 0 ? `expires in ${formatDuration(delta)}` : `expired ${formatDuration(delta)} ago`})`;
  if (delta === 0) return `${iso} (now)`;
  return `${iso} (${delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`})`;
}
