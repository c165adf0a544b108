// Masking, once per value: a secret is masked the moment it exists (a provider masks a token as it arrives) and
// again wherever the edge makes sure of it (before the outputs); core.setSecret once for each is enough.
import * as core from '@actions/core';

export type Mask = (secret: string) => void;

/** One step's mask: each value is sent to the runner once. */
export function createMask(): Mask {
  const masked = new Set<string>();
  return (secret) => {
    if (!secret || masked.has(secret)) return;
    masked.add(secret);
    core.setSecret(secret);
  };
}
