import type { Rule } from './rule.ts';

/**
 * A Debian version as apt takes it in `package=version`:
 * [epoch:]upstream[-revision]. Drydock's pattern made the revision mandatory,
 * so it refused plain upstream versions such as `1.2.3` (a bug fixed here);
 * like dpkg, which only warns, we do not insist that upstream starts with a digit.
 */
const VERSION = /^(?:[0-9]+:)?[A-Za-z0-9.+~]+(?:[A-Za-z0-9.+~-]*-[A-Za-z0-9.+~]+)?$/;

/**
 * Debian policy 5.6.1 package names, with apt's optional `:arch` qualifier.
 * Drydock does not check names at all; a bad one only failed at deploy time.
 */
const NAME = /^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?$/;

/**
 * Drydock's BootactionPackageListValid. Drydock registers it as DD4002, the
 * code LibvirtValidity also uses; we keep the shared code for compatibility.
 */
export const bootactionPackageList: Rule = {
  code: 'DD4002',
  longName: 'Bootaction pkg_list Validation',
  run(site, _ctx, report) {
    for (const action of site.bootActions.values()) {
      for (const asset of action.assets) {
        if (asset.type !== 'pkg_list') continue;
        const packages = asset.packageList ?? {};
        // A referenced list (location) is fetched and checked at render time, as Drydock.
        if (!asset.location && Object.keys(packages).length === 0) {
          report.error(
            "Bootaction has asset of type 'pkg_list' but no valid package data",
            [action.doc],
            'pkg_list bootaction assets must specify a list of packages.',
          );
          continue;
        }
        for (const [name, version] of Object.entries(packages)) {
          if (!NAME.test(name)) {
            report.error(
              `Package name ${name} is not a valid format.`,
              [action.doc],
              'pkg_list package names must be Debian package names: lower case letters, digits, +, - and ., starting with a letter or digit.',
            );
          }
          if (version && !VERSION.test(version)) {
            report.error(
              `Version specifier ${version} is not a valid format for package ${name}.`,
              [action.doc],
              'pkg_list version specifications must be in a valid format.',
            );
          }
        }
      }
    }
  },
};
