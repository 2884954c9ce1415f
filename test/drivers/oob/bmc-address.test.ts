import { describe, expect, it } from 'vitest';
import { bmcAddressOf, bmcUrl } from '../../../src/drivers/oob/bmc-address.ts';
import { failureOf } from '../../../src/drivers/oob/failure.ts';
import { withoutSecrets } from '../../../src/drivers/redact.ts';
import { OobError } from '../../../src/drivers/oob/oob-error.ts';
import { makeNode } from '../../helpers/site-model.ts';

const nodeWith = (address: string, params: Record<string, unknown> = {}) =>
  makeNode('n1', {
    oob: { type: 'redfish', network: 'oob', account: 'a', credential: 'c', params: { type: 'redfish', network: 'oob', ...params } },
    addressing: [
      { network: 'pxe', type: 'static', address: '10.0.1.5' },
      { network: 'oob', type: 'static', address },
    ],
  });

describe('the BMC address of a node', () => {
  it('is its address on oob.network, https on the default port unless told', () => {
    expect(bmcUrl(bmcAddressOf(nodeWith('10.0.0.5')))).toBe('https://10.0.0.5');
    expect(bmcUrl(bmcAddressOf(nodeWith('10.0.0.5', { port: '8000', use_ssl: 'false' })))).toBe('http://10.0.0.5:8000');
    expect(bmcUrl(bmcAddressOf(nodeWith('fd00::5', { port: 443, use_ssl: true })))).toBe('https://[fd00::5]:443');
  });

  it.each([
    [{ port: 0 }, 'oob.port 0 is not a port number (1-65535)'],
    [{ port: '443x' }, 'oob.port "443x" is not a port number (1-65535)'],
    [{ use_ssl: 'yes' }, 'oob.use_ssl "yes" is not true or false'],
  ])('refuses %j', (params, message) => {
    expect(() => bmcAddressOf(nodeWith('10.0.0.5', params))).toThrow(new OobError(message));
  });

  it('needs a static address on the oob network', () => {
    const node = { ...nodeWith('10.0.0.5'), addressing: [{ network: 'oob', type: 'dhcp' as const, address: null }] };
    expect(() => bmcAddressOf(node)).toThrow('the node has no static address on its oob network oob, so the BMC has no address');
  });
});

describe('OOB failures', () => {
  it('name the node and the BMC and mask the credential wherever it appears', () => {
    expect(failureOf('n1', 'https://10.0.0.5', new OobError('login s3cret refused'), ['s3cret'])).toEqual({
      state: 'failed',
      reason: 'node n1, BMC https://10.0.0.5: login [credential hidden] refused',
    });
    expect(withoutSecrets('a s3cret b s3cret', ['s3cret', null, ''])).toBe('a [credential hidden] b [credential hidden]');
  });
});
