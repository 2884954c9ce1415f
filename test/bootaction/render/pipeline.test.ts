import { describe, expect, it } from 'vitest';
import { executePipeline, runSegment, SegmentError, toBytes, type PipelineValue } from '../../../src/template/pipeline.ts';
import { b64, utf8 } from './fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const ctx = { node: { hostname: 'compute01' } };
const run = (value: PipelineValue, pipeline: string[]) => executePipeline(value, pipeline, ctx);
const failure = (fn: () => unknown): SegmentError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SegmentError) return err;
    throw err;
  }
  throw new Error('expected a SegmentError');
};

describe('base64_encode', () => {
  it('encodes bytes to base64 bytes, as Python b64encode (Drydock test_bootaction_pipeline_base64)', () => {
    const out = run(bytes('Test 1 2 3!'), ['base64_encode']);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(utf8(out as Uint8Array)).toBe('VGVzdCAxIDIgMyE=');
  });

  it('pads one and two trailing bytes and encodes nothing as nothing', () => {
    expect(utf8(run(bytes('a'), ['base64_encode']) as Uint8Array)).toBe('YQ==');
    expect(utf8(run(bytes('ab'), ['base64_encode']) as Uint8Array)).toBe('YWI=');
    expect(utf8(run(bytes('abc'), ['base64_encode']) as Uint8Array)).toBe('YWJj');
    expect(run(new Uint8Array(0), ['base64_encode'])).toEqual(new Uint8Array(0));
  });

  it('encodes every byte value like Node', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(utf8(run(all, ['base64_encode']) as Uint8Array)).toBe(Buffer.from(all).toString('base64'));
  });

  it('takes text as its UTF-8 bytes (Drydock raised TypeError for a str)', () => {
    expect(utf8(run('héllo', ['base64_encode']) as Uint8Array)).toBe(b64('héllo'));
  });
});

describe('base64_decode', () => {
  it('decodes base64 bytes to bytes, binary included', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(run(bytes(Buffer.from(all).toString('base64')), ['base64_decode'])).toEqual(all);
  });

  it('skips line breaks and other characters outside the alphabet, as Python b64decode', () => {
    const wrapped = 'IyEvYmluL2Jhc2gKCmVjaG8g\nJ0hlbGxvJwo=\n';
    expect(utf8(run(bytes(wrapped), ['base64_decode']) as Uint8Array)).toBe("#!/bin/bash\n\necho 'Hello'\n");
    expect(utf8(run(bytes(' Y W J j *'), ['base64_decode']) as Uint8Array)).toBe('abc');
  });

  it('stops at a complete padding sequence', () => {
    expect(utf8(run(bytes('YQ==YWJj'), ['base64_decode']) as Uint8Array)).toBe('a');
  });

  it('decodes ASCII text too (Python accepts a str)', () => {
    expect(utf8(run('YWJj', ['base64_decode']) as Uint8Array)).toBe('abc');
  });

  it('refuses text with non-ASCII characters', () => {
    expect(failure(() => run('YWJj€', ['base64_decode'])).message).toBe('string argument should contain only ASCII characters');
  });

  it('refuses missing padding and a dangling character, as Python', () => {
    expect(failure(() => run(bytes('YWJjZA'), ['base64_decode'])).message).toBe('invalid base64: incorrect padding');
    const dangling = failure(() => run(bytes('YWJjZ'), ['base64_decode']));
    expect(dangling.segment).toBe('base64_decode');
    expect(dangling.message).toBe('invalid base64: 5 data characters cannot be 1 more than a multiple of 4');
  });
});

describe('utf8_decode and utf8_encode', () => {
  it('decodes UTF-8 bytes to text (Drydock test_bootaction_pipeline_utf8)', () => {
    expect(run(bytes('Test 1 2 3!'), ['utf8_decode'])).toBe('Test 1 2 3!');
  });

  it('keeps a byte order mark, as Python utf-8 (not utf-8-sig)', () => {
    expect(run(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), ['utf8_decode'])).toBe('\ufeffa');
  });

  it('refuses invalid UTF-8', () => {
    expect(failure(() => run(Uint8Array.of(0x61, 0xff), ['utf8_decode'])).message).toBe('the data is not valid UTF-8');
    expect(failure(() => run(Uint8Array.of(0xed, 0xa0, 0x80), ['utf8_decode'])).message).toBe('the data is not valid UTF-8');
  });

  it('encodes text to UTF-8 bytes', () => {
    expect(run('grüß', ['utf8_encode'])).toEqual(bytes('grüß'));
  });

  it('refuses the wrong type, as Python does (decode of a str, encode of bytes)', () => {
    expect(failure(() => run('text', ['utf8_decode'])).message).toMatch(/utf8_decode needs bytes but got text/);
    expect(failure(() => run(bytes('b'), ['utf8_encode'])).message).toMatch(/utf8_encode needs text but got bytes/);
  });
});

describe('template', () => {
  it('renders text with the context', () => {
    expect(run('host {{ node.hostname }}', ['template'])).toBe('host compute01');
  });

  it('reads bytes as UTF-8 (Drydock rendered the repr b\'...\' of a bytes template)', () => {
    expect(run(bytes('host {{ node.hostname }}\n'), ['template'])).toBe('host compute01\n');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(failure(() => run(Uint8Array.of(0xc3), ['template'])).message).toBe('the data is not valid UTF-8');
  });

  it('reports a syntax error with its line and column', () => {
    const err = failure(() => run('ok\n{{ node.hostname ', ['template']));
    expect(err.segment).toBe('template');
    expect(err.message).toMatch(/^template error: .*not closed.*line:2, col:1/);
  });

  it('needs a context', () => {
    expect(failure(() => runSegment('template', 'x', null)).message).toBe('template needs a context');
  });
});

describe('pipelines', () => {
  it('passes data through unchanged with no segments', () => {
    expect(run(bytes('as is'), [])).toEqual(bytes('as is'));
  });

  it('runs base64_decode, utf8_decode, template (the form of Drydock\'s sample designs)', () => {
    const data = b64("#!/bin/bash\n\necho 'Hello World! -from {{ node.hostname }}'\n");
    expect(run(bytes(data), ['base64_decode', 'utf8_decode', 'template'])).toBe(
      "#!/bin/bash\n\necho 'Hello World! -from compute01'\n",
    );
  });

  it('runs utf8_decode, template', () => {
    expect(run(bytes('{{ node.hostname }}\n'), ['utf8_decode', 'template'])).toBe('compute01\n');
  });

  it("runs Drydock's documented base64_decode, template, base64_encode (which failed in Drydock)", () => {
    const out = run(bytes(b64('name={{ node.hostname }}')), ['base64_decode', 'template', 'base64_encode']);
    expect(utf8(out as Uint8Array)).toBe(b64('name=compute01'));
  });

  it('round-trips base64_encode, base64_decode and utf8_encode, utf8_decode', () => {
    expect(run(bytes('x\u0000y'), ['base64_encode', 'base64_decode'])).toEqual(bytes('x\u0000y'));
    expect(run(bytes('ü'), ['utf8_decode', 'utf8_encode', 'utf8_decode'])).toBe('ü');
  });

  it('renders a template that produces base64, then decodes it', () => {
    const out = run(bytes(`{{ node.hostname | size }}:${b64('bin')}`), ['utf8_decode', 'template']);
    expect(out).toBe(`9:${b64('bin')}`);
    expect(utf8(run(bytes(b64('{{ node.hostname }}')), ['base64_decode', 'utf8_decode', 'template', 'utf8_encode', 'base64_encode', 'base64_decode']) as Uint8Array)).toBe('compute01');
  });

  it('refuses an unknown segment, naming it', () => {
    const err = failure(() => run(bytes('x'), ['gzip']));
    expect(err.segment).toBe('gzip');
    expect(err.message).toBe('unknown pipeline segment gzip');
  });

  it('writes text left at the end as UTF-8', () => {
    expect(toBytes('é')).toEqual(Uint8Array.of(0xc3, 0xa9));
    expect(toBytes(Uint8Array.of(1, 2))).toEqual(Uint8Array.of(1, 2));
  });
});
