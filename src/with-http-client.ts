import type { HttpClient } from './http.js';
import type { Runner } from './runner.js';

/**
 * Runs `use` with the HTTP client, loaded on demand: a JWT-only run never loads network code, so it starts
 * about as fast as Node does. Retries are logged, so a slow step explains itself.
 */
export async function withHttpClient<T>(
  runner: Runner,
  env: Record<string, string | undefined>,
  service: string,
  use: (http: HttpClient) => Promise<T>,
): Promise<T> {
  const { createHttpClient } = await import('./http.js');
  const http = createHttpClient({
    env,
    onRetry: ({ attempt, delayMs, reason }) =>
      runner.info(`${service} request failed (${reason}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s.`),
  });
  try {
    return await use(http);
  } finally {
    await http.close();
  }
}
