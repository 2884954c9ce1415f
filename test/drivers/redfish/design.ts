import { oobSiteDesign } from '../oob-design.ts';

/** The fixture site with each node of `ports` a Redfish node whose BMC is 127.0.0.1 at that port. */
export function redfishDesign(ports: Map<string, number>, credential: string): Promise<string> {
  const section = (port: number) => ({ type: 'redfish', network: 'oob', account: 'admin', credential, port });
  return oobSiteDesign(new Map([...ports].map(([name, port]) => [name, section(port)])));
}
