import type { DocRef, SiteModel, ValidationLevel, ValidationMessage } from '../model.ts';

/**
 * What a rule may know besides the site: facts from the enabled drivers.
 * Drydock's platform selection asks MAAS for its boot images and kernels;
 * here the node driver supplies the same catalogue (the fake lab has a fixed one).
 */
export interface RuleContext {
  platforms: {
    /** image name -> kernels valid for it; e.g. { xenial: ['ga-16.04', 'hwe-16.04'] } */
    images: Record<string, string[]>;
    /** Why the node driver could not list them (the rule then only warns). */
    unavailable?: string;
    /**
     * An edge whose driver calls all run at site agents: each site's images
     * as its agent last reported them, by site (Region) name; a design is
     * checked against its own site's, and `images` is not used.
     */
    bySite?: Record<string, Record<string, string[]>>;
  };
}

/** How a rule reports, as Drydock's Validators.report_error/warn/info. */
export interface Reporter {
  error(message: string, docs: DocRef[], diagnostic: string): void;
  warn(message: string, docs: DocRef[], diagnostic: string): void;
  info(message: string, docs: DocRef[], diagnostic: string): void;
}

/** One of Drydock's design rules (one module per rule). */
export interface Rule {
  /** Drydock's short name, used as the messages' `name` (e.g. `DD2002`). */
  code: string;
  /** Drydock's long name, prefixed to each message (e.g. `Storage Partitioning`). */
  longName: string;
  run(site: SiteModel, ctx: RuleContext, report: Reporter): void;
}

/**
 * Runs one rule. As Drydock: each message reads `<long name>: <text>`, and a
 * rule that found no error adds an Info "Validation successful." message.
 */
export function executeRule(rule: Rule, site: SiteModel, ctx: RuleContext): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const add = (level: ValidationLevel) => (message: string, docs: DocRef[], diagnostic: string) => {
    messages.push({
      kind: 'ValidationMessage',
      name: rule.code,
      message: `${rule.longName}: ${message}`,
      error: level === 'Error',
      level,
      documents: docs,
      diagnostic,
    });
  };
  rule.run(site, ctx, { error: add('Error'), warn: add('Warning'), info: add('Info') });
  if (!messages.some((m) => m.error)) add('Info')('Validation successful.', [], '');
  return messages;
}
