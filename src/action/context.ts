// The providers' injected interface, implemented on @actions/core for the runner.
import * as core from '@actions/core';
import type { Clock } from '../clock.js';
import { lazyTransport } from '../http/lazy.js';
import type { Mask } from './mask.js';
import { oneLine } from './one-line.js';
import type { ProviderContext } from '../providers/provider.js';

export function actionContext(env: Record<string, string | undefined>, clock: Clock, mask: Mask): ProviderContext {
  // Every line can carry a server's text: one line each, never a workflow command (core.info writes raw text).
  const log = {
    info: (message: string) => core.info(oneLine(message)),
    notice: (message: string) => core.notice(oneLine(message)),
    warning: (message: string) => core.warning(oneLine(message)),
    debug: (message: string) => core.debug(oneLine(message)),
  };
  return { log, mask, clock, env, transport: lazyTransport(env, log.info) };
}
