import { staticAssetFindings } from '../../template/static-check.ts';
import type { Rule } from './rule.ts';

const DIAGNOSTIC =
  'Boot action templates are Liquid templates; Jinja2 expressions such as {{ node.hostname }} and {{ x | urlencode }} work unchanged. See docs/templates.md for the differences.';

/**
 * Not in Drydock, which found a broken template only when a node asked for
 * its boot data (a 500 in the middle of a deployment). Every inline
 * template (data and location) is parsed here, after the pipeline segments
 * that run before it (base64_decode, utf8_decode, …), so a syntax error, an
 * unknown filter or undecodable data is an error with the design; Jinja2
 * habits that Liquid reads differently are warnings.
 */
export const bootactionTemplates: Rule = {
  code: 'DD4011',
  longName: 'Bootaction Template Syntax',
  run(site, _ctx, report) {
    for (const action of site.bootActions.values()) {
      action.assets.forEach((asset, index) => {
        const { error, warnings } = staticAssetFindings(asset);
        const where = `Boot action ${action.name} asset ${asset.path ?? `#${index + 1}`}`;
        if (error !== null) report.error(`${where}: ${error}`, [action.doc], DIAGNOSTIC);
        for (const warning of warnings) report.warn(`${where}: ${warning}`, [action.doc], DIAGNOSTIC);
      });
    }
  },
};
