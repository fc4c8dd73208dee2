import { describe, expect, it } from 'vitest';
import { bitString, children, fromPem, integer, objectIdentifier, pem, sequence, time, utf8String } from './der.js';

const hex = (buffer: Buffer) => buffer.toString('hex');

describe('DER encoding', () => {
  it('encodes object identifiers with multi-byte arcs', () => {
    expect(hex(objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(objectIdentifier('2.5.4.3'))).toBe('0603550403');
  });

  it('keeps integers positive and minimal', () => {
    expect(hex(integer(Buffer.from([2])))).toBe('020102');
    expect(hex(integer(Buffer.from([0x80, 0x01])))).toBe('0203008001');
    expect(hex(integer(Buffer.from([0, 0, 0x7f])))).toBe('02017f');
  });

  it('uses long-form lengths past 127 bytes', () => {
    const long = utf8String('x'.repeat(200));
    expect(hex(long.subarray(0, 3))).toBe('0c81c8');
    expect(hex(sequence(Buffer.alloc(300)).subarray(0, 4))).toBe('3082012c');
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2026-11-25T19:30:05.123Z')).toString('latin1')).toBe('\x17\x0d261125193005Z');
    expect(time(new Date('2051-01-02T03:04:05Z')).toString('latin1')).toBe('\x18\x0f20510102030405Z');
  });

  it('counts unused bits of a bit string', () => {
    expect(hex(bitString(Buffer.from([0x86]), 7))).toBe('03020186');
  });

  it('reads back the elements of a sequence through PEM', () => {
    const first = utf8String('a'.repeat(130));
    const second = integer(Buffer.from([5]));
    const armoured = pem('TEST', sequence(first, second));
    expect(armoured).toMatch(/^-----BEGIN TEST-----\n[A-Za-z0-9+/=\n]+\n-----END TEST-----\n$/);
    expect(children(fromPem(armoured))).toEqual([first, second]);
  });
});
