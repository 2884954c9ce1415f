import { describe, expect, it } from 'vitest';
import { redactRef } from '../../../src/design/resolve/index.ts';

describe('redactRef', () => {
  it('masks user-info, a token used as the user name included', () => {
    expect(redactRef('https://u:p@h.example/x')).toBe('https://***@h.example/x');
    expect(redactRef('https://ghp_abc@h.example/x')).toBe('https://***@h.example/x');
    expect(redactRef('deckhand+http://u:p@deckhand:9000/r')).toBe('deckhand+http://***@deckhand:9000/r');
  });

  it('leaves a ref without secrets as it was', () => {
    expect(redactRef('design://0b0b2a9c-8a4e-4a8e-9a57-2f6d8b8f1c11')).toBe('design://0b0b2a9c-8a4e-4a8e-9a57-2f6d8b8f1c11');
    expect(redactRef('http://h/x?rev=1')).toBe('http://h/x?rev=1');
  });

  it('masks query values named like credentials', () => {
    expect(redactRef('https://h/x?token=abc&rev=1&api_key=k')).toBe('https://h/x?token=***&rev=1&api_key=***');
  });
});
