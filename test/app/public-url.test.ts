import { describe, expect, it } from 'vitest';
import { absoluteLink, apiUrl, bootActionReportUrl, publicBase } from '../../src/core/public-url.ts';

describe('public URLs', () => {
  it('take PUBLIC_URL with its path prefix and without trailing slashes', () => {
    expect(publicBase({ PUBLIC_URL: 'https://edge.example/drydock//' }, 'http://10.0.0.1:9000/x')).toBe('https://edge.example/drydock');
    expect(publicBase({ PUBLIC_URL: 'https://edge.example' })).toBe('https://edge.example');
    expect(apiUrl('https://edge.example/drydock', '/tasks/t1/builddata')).toBe('https://edge.example/drydock/api/v1.0/tasks/t1/builddata');
  });

  it("fall back to the request's origin, and to nothing outside a request", () => {
    expect(publicBase({}, 'http://drydock-api.ucp:9000/api/v1.0/tasks?x=1')).toBe('http://drydock-api.ucp:9000');
    expect(publicBase({})).toBeNull();
  });

  it('give one boot action report URL wherever it is computed', () => {
    expect(bootActionReportUrl({ PUBLIC_URL: 'https://edge.example/drydock/' })).toBe('https://edge.example/drydock/api/v1.0/bootactions/');
    expect(bootActionReportUrl({}, 'http://127.0.0.1:9000/api/v1.0/bootactions/nodes/n1/files')).toBe(
      'http://127.0.0.1:9000/api/v1.0/bootactions/',
    );
    const configured = { PUBLIC_URL: 'https://edge.example', BOOTACTION_REPORT_URL: 'https://reports.example/ba/' };
    expect(bootActionReportUrl(configured, 'http://127.0.0.1/')).toBe('https://reports.example/ba/');
    expect(bootActionReportUrl({})).toBe('');
  });

  it('make stored paths absolute and leave absolute links alone', () => {
    expect(absoluteLink('https://e.example/p', '/api/v1.0/tasks/t/builddata')).toBe('https://e.example/p/api/v1.0/tasks/t/builddata');
    expect(absoluteLink('https://e.example/p', 'https://maas.example/logs/1')).toBe('https://maas.example/logs/1');
  });
});
