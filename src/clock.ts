/**
 * Seconds since the epoch, as the server sees them. The offset starts at zero and is set once a server has
 * told us (through its Date header) how far our clock is from its clock; every later JWT uses it.
 */
export interface Clock {
  now(): number;
  offsetSeconds(): number;
  setOffsetSeconds(offset: number): void;
}

export function createClock(localMillis: () => number = Date.now): Clock {
  let offset = 0;
  return {
    now: () => Math.floor(localMillis() / 1000) + offset,
    offsetSeconds: () => offset,
    setOffsetSeconds: (value) => {
      offset = Math.round(value);
    },
  };
}
