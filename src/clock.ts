/**
 * The one clock of a run. `now()` is in seconds by the server's clock: local time plus the offset learnt once
 * a server has said (through its Date header) how far the runner's clock is from its own; every later JWT and
 * every expiry check uses it. `localMillis()` is the runner's own time, to compare with a Date header.
 */
export interface Clock {
  now(): number;
  localMillis(): number;
  offsetSeconds(): number;
  setOffsetSeconds(offset: number): void;
}

export function createClock(localMillis: () => number = Date.now): Clock {
  let offset = 0;
  return {
    now: () => Math.floor(localMillis() / 1000) + offset,
    localMillis,
    offsetSeconds: () => offset,
    setOffsetSeconds: (value) => {
      offset = Math.round(value);
    },
  };
}
