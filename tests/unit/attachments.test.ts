/**
 * The pure attachment rules: type from the first bytes (never the name),
 * dimensions and pages, and each protocol's documented image-token rule.
 */
import { describe, expect, it } from 'vitest';
import { attachmentFacts, binaryAttachmentTokens, imageTokens, isUtf8Text, requiredModalities, sniffBinary } from '../../shared/attachments';
import { gifHead, jpegHead, pdf, png, webpHead } from '../fixtures/attachment-files';

describe('sniffBinary', () => {
  it('tells each accepted type by its magic bytes', () => {
    expect(sniffBinary(png())).toBe('image/png');
    expect(sniffBinary(jpegHead(10, 10))).toBe('image/jpeg');
    expect(sniffBinary(gifHead(3, 4))).toBe('image/gif');
    expect(sniffBinary(webpHead(5, 6))).toBe('image/webp');
    expect(sniffBinary(pdf())).toBe('application/pdf');
  });

  it('knows nothing else: text, a ZIP (docx), a truncated PNG signature', () => {
    expect(sniffBinary(Buffer.from('hello'))).toBeNull();
    expect(sniffBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBeNull();
    expect(sniffBinary(png().subarray(0, 4))).toBeNull();
  });

  it('text is UTF-8 without NUL bytes', () => {
    expect(isUtf8Text(Buffer.from('plain ascii and ünïcödé 漢字'))).toBe(true);
    expect(isUtf8Text(Buffer.from([0x61, 0x00, 0x62]))).toBe(false);
    expect(isUtf8Text(Buffer.from([0xc3, 0x28]))).toBe(false);
  });
});

describe('attachmentFacts', () => {
  it('reads each image format\'s size and a PDF\'s pages', () => {
    expect(attachmentFacts('image/png', png(3, 2))).toEqual({ width: 3, height: 2, pages: null });
    expect(attachmentFacts('image/jpeg', jpegHead(640, 480))).toEqual({ width: 640, height: 480, pages: null });
    expect(attachmentFacts('image/gif', gifHead(31, 17))).toEqual({ width: 31, height: 17, pages: null });
    expect(attachmentFacts('image/webp', webpHead(1000, 750))).toEqual({ width: 1000, height: 750, pages: null });
    expect(attachmentFacts('application/pdf', pdf(3))).toEqual({ width: null, height: null, pages: 3 });
  });

  it('a header it cannot read gives unknown dimensions, not zeros', () => {
    expect(attachmentFacts('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0x00]))).toEqual({ width: null, height: null, pages: null });
  });
});

describe('imageTokens', () => {
  it('OpenAI: fit 2048, shortest side 768, 170 per 512px tile plus 85', () => {
    expect(imageTokens('openai', 1024, 1024)).toBe(765);
    expect(imageTokens('openai', 2048, 4096)).toBe(1105); // -> 1024x2048 -> 768x1536: 2x3 tiles
    expect(imageTokens('openai', 100, 100)).toBe(255);
  });

  it('Anthropic: long edge 1568, then pixels / 750', () => {
    expect(imageTokens('anthropic', 1000, 1000)).toBe(1334);
    expect(imageTokens('anthropic', 3136, 1568)).toBe(1640); // -> 1568x784
  });

  it('Gemini: 258 up to 384x384, else 258 per 768 tile', () => {
    expect(imageTokens('gemini', 384, 384)).toBe(258);
    expect(imageTokens('gemini', 1000, 700)).toBe(516);
  });

  it('unknown dimensions take the largest image each rule allows', () => {
    expect(imageTokens('openai', null, null)).toBe(1445);
    expect(binaryAttachmentTokens('gemini', 'application/pdf', { width: null, height: null, pages: 3 })).toBe(774);
    expect(binaryAttachmentTokens('anthropic', 'application/pdf', { width: null, height: null, pages: null })).toBe(3000);
  });
});

describe('requiredModalities', () => {
  it('images and PDFs need their modality; text files none', () => {
    expect(requiredModalities([{ attachments: [{ mime: 'text/plain' }] }])).toEqual([]);
    expect(requiredModalities([{ attachments: [{ mime: 'application/pdf' }, { mime: 'image/gif' }] }, {}])).toEqual(['image', 'pdf']);
  });
});
