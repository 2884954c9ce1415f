import { createAuthenticator } from '../auth/create-authenticator.ts';
import { parsePolicyDocument } from '../auth/policy/document.ts';
import { createPolicyEnforcer } from '../auth/policy/enforcer.ts';
import type { StaticToken } from '../auth/static-tokens.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/types.ts';
import type { Logger } from '../log.ts';
import { driverProbes } from './driver-probes.ts';
import type { Services } from './types.ts';

export interface ServiceDeps {
  config: Config;
  database: Database;
  logger: Logger;
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Text of POLICY_FILE, read by runtimes that have a file system. */
  policyFileText?: string;
  extraTokens?: StaticToken[];
}

/** Wires the services every runtime shares from its config and database. */
export function createServices(deps: ServiceDeps): Services {
  const { config, logger } = deps;
  const fetchFn = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? (() => new Date());
  const overrides = {
    ...(deps.policyFileText ? parsePolicyDocument(deps.policyFileText) : {}),
    ...(config.POLICY_DOCUMENT ? parsePolicyDocument(config.POLICY_DOCUMENT) : {}),
  };
  return {
    config,
    database: deps.database,
    logger,
    clock,
    fetch: fetchFn,
    policy: createPolicyEnforcer(overrides),
    authenticator: createAuthenticator({
      config,
      fetch: fetchFn,
      logger,
      extraTokens: deps.extraTokens,
      now: () => clock().getTime(),
    }),
    healthProbes: driverProbes(config),
  };
}
