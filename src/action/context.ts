// The providers' injected interface, implemented on @actions/core for the runner.
import * as core from '@actions/core';
import type { Clock } from '../clock.js';
import { lazyTransport } from '../http/lazy.js';
import type { Mask } from './mask.js';
import type { ProviderContext } from '../providers/provider.js';

export function actionContext(env: Record<string, string | undefined>, clock: Clock, mask: Mask): ProviderContext {
  const log = {
    info: core.info,
    notice: (message: string) => core.notice(message),
    warning: (message: string) => core.warning(message),
    debug: core.debug,
  };
  return { log, mask, clock, env, transport: lazyTransport(env, log.info) };
}
