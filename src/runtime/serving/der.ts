/**
 * The small part of ASN.1 DER that X.509 certificates need: tag-length-value encoding of
 * sequences, sets, integers, object identifiers, strings, times, bit and octet strings.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV element with the given tag byte. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...elements: Buffer[]) => tlv(0x30, Buffer.concat(elements));
export const set = (...elements: Buffer[]) => tlv(0x31, Buffer.concat(elements));
export const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (content: Buffer) => tlv(0x04, content);
export const utf8String = (value: string) => tlv(0x0c, Buffer.from(value, 'utf8'));
/** `[n] EXPLICIT`: a constructed context-specific wrapper. */
export const explicit = (tagNumber: number, content: Buffer) => tlv(0xa0 | tagNumber, content);
/** `[n] IMPLICIT` of a primitive type (e.g. GeneralName dNSName [2], iPAddress [7]). */
export const implicitPrimitive = (tagNumber: number, content: Buffer) => tlv(0x80 | tagNumber, content);

/** A non-negative INTEGER from its unsigned big-endian bytes. */
export function integer(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const bytes = unsigned.subarray(start);
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** OBJECT IDENTIFIER from dotted form ('1.2.840.10045.4.3.2'). */
export function objectIdentifier(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** BIT STRING of whole bytes, or of the first `bitLength` bits of `content`. */
export function bitString(content: Buffer, bitLength = content.length * 8): Buffer {
  const unusedBits = content.length * 8 - bitLength;
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5), to the second. */
export function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${digits}Z`));
}

function elementAt(der: Buffer, offset: number): { contentStart: number; end: number } {
  let length = der[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[contentStart + i];
    contentStart += lengthBytes;
  }
  return { contentStart, end: contentStart + length };
}

/** The complete TLV elements inside the constructed element `der` (one level deep). */
export function children(der: Buffer): Buffer[] {
  const outer = elementAt(der, 0);
  const result: Buffer[] = [];
  for (let offset = outer.contentStart; offset < outer.end;) {
    const child = elementAt(der, offset);
    result.push(der.subarray(offset, child.end));
    offset = child.end;
  }
  return result;
}

/** The DER bytes inside the first PEM block of `text`. */
export function fromPem(text: string): Buffer {
  const body = /-----BEGIN [^-]+-----([^-]+)-----END/.exec(text);
  if (!body) throw new Error('no PEM block found');
  return Buffer.from(body[1].replace(/\s+/g, ''), 'base64');
}

/** PEM armour for DER bytes. */
export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
