// The HTTP layer as the edges hand it to providers: loaded on first use (a JWT-only run never loads network
// code), made once per step (one deadline for every request), every retry told to the log.
import type { Transport } from './transport.js';

export function lazyTransport(env: Record<string, string | undefined>, log: (message: string) => void) {
  let made: Promise<Transport> | undefined;
  return (): Promise<Transport> =>
    (made ??= import('./transport.js').then(({ createTransport }) =>
      createTransport({
        env,
        retry: {
          onRetry: ({ service, attempt, delayMs, reason }) =>
            log(`${service} request failed (${reason}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s.`),
        },
      }),
    ));
}
