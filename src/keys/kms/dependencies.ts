import type { Transport } from '../../http/transport.js';

/** What a signing service's client gets from the run: where credentials live, a mask, a log, the transport. */
export interface KmsDependencies {
  /** The environment the login actions leave credentials in (process.env in the action). */
  env: Record<string, string | undefined>;
  /** Masks a credential the moment it is read or fetched, before any request. */
  mask(secret: string): void;
  log: { info(message: string): void; debug(message: string): void };
  /** The action's HTTP layer (limits, deadline, retries, proxies): for the services without an official client. */
  transport(): Promise<Transport>;
}
