import fc from 'fast-check';
import { encodeParts, multipartHeaders, type Part } from './multipartParts.ts';
import { rawRequest } from './rawHttp.ts';

/**
 * Ways to damage a valid GraphQL multipart request, as fast-check values:
 * at the level of its parts (reordered, repeated, dropped, renamed, their
 * headers or bytes changed), of its bytes (cut, spliced, another boundary)
 * and of HTTP (a wrong Content-Length, chunked encoding, trickled in, the
 * client hanging up).
 */
export type Mutation =
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'multiply'; readonly at: number; readonly times: number }
  | { readonly kind: 'header'; readonly at: number; readonly line: string }
  | { readonly kind: 'name'; readonly at: number; readonly name: string }
  | { readonly kind: 'value'; readonly at: number; readonly value: string }
  | { readonly kind: 'flip'; readonly at: number; readonly offset: number }
  | { readonly kind: 'cut'; readonly fraction: number }
  | { readonly kind: 'splice'; readonly fraction: number; readonly bytes: Uint8Array }
  | { readonly kind: 'boundary'; readonly value: string }
  | { readonly kind: 'length'; readonly delta: number }
  | { readonly kind: 'chunked'; readonly size: number }
  | { readonly kind: 'unclosed' }
  | { readonly kind: 'hangUp' }
  | { readonly kind: 'trickle'; readonly size: number; readonly pauseMs: number };

const text = fc.string({ unit: 'binary', maxLength: 40 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('swap'), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove'), at: fc.nat() }),
  fc.record({ kind: fc.constant('multiply'), at: fc.nat(), times: fc.integer({ min: 2, max: 6 }) }),
  fc.record({
    kind: fc.constant('header'),
    at: fc.nat(),
    line: fc.oneof(
      text,
      fc.constant('Content-Disposition: form-data'),
      fc.constant('Content-Disposition: form-data; name="0"; filename*=UTF-8\'\'a%0D%0Ab%00.txt'),
      fc.constant(`X-Long: ${'h'.repeat(17_000)}`),
    ),
  }),
  fc.record({
    kind: fc.constant('name'),
    at: fc.nat(),
    name: fc.oneof(fc.constantFrom('operations', 'map', '0', '1', '2', '__proto__'), text),
  }),
  fc.record({
    kind: fc.constant('value'),
    at: fc.nat(),
    value: fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.constantFrom(
        '{"0":["variables.files.0"],"1":["variables.files.0"]}',
        '{"0":["variables.files.0","variables.files.1"]}',
        '{"0":["__proto__.polluted"]}',
        '{"0":["constructor.prototype.polluted"]}',
        '{"query":"{ __typename }"}',
      ),
    ),
  }),
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), offset: fc.nat() }),
  fc.record({ kind: fc.constant('cut'), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('splice'),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 30 }),
      fc.constantFrom(...['\r\n', '\r\n--', '--\r\n', '\r\n\r\n'].map((s) => Buffer.from(s))),
    ),
  }),
  fc.record({
    kind: fc.constant('boundary'),
    value: fc.stringMatching(/^[A-Za-z0-9'()+_,-]{1,70}$/),
  }),
  fc.record({ kind: fc.constant('length'), delta: fc.integer({ min: -40, max: 40 }) }),
  fc.record({ kind: fc.constant('chunked'), size: fc.integer({ min: 1, max: 4096 }) }),
  fc.record({ kind: fc.constant('unclosed') }),
  fc.record({ kind: fc.constant('hangUp') }),
  fc.record({
    kind: fc.constant('trickle'),
    size: fc.integer({ min: 1, max: 2048 }),
    pauseMs: fc.integer({ min: 0, max: 30 }),
  }),
);

/** A request ready to send: its chunks, and whether the client hangs up instead of reading. */
export interface Damaged {
  readonly chunks: Buffer[];
  readonly pauseMs: number;
  readonly hangUp: boolean;
}

const pick = <T>(items: readonly T[], at: number): T | undefined => items[at % items.length];

function withPart(parts: Part[], at: number, change: (part: Part) => Part): Part[] {
  if (parts.length === 0) return parts;
  const index = at % parts.length;
  return parts.map((part, i) => (i === index ? change(part) : part));
}

function mutateParts(parts: Part[], m: Mutation): Part[] {
  switch (m.kind) {
    case 'swap': {
      const out = [...parts];
      const a = m.a % Math.max(out.length, 1);
      const b = m.b % Math.max(out.length, 1);
      [out[a], out[b]] = [out[b] as Part, out[a] as Part];
      return out.filter(Boolean);
    }
    case 'duplicate': {
      const part = pick(parts, m.at);
      return part ? [...parts, part] : parts;
    }
    case 'remove':
      return parts.filter((_, i) => i !== m.at % Math.max(parts.length, 1));
    case 'multiply': {
      const part = pick(parts, m.at);
      return part ? [...parts, ...Array<Part>(m.times).fill(part)] : parts;
    }
    case 'header':
      return withPart(parts, m.at, (part) => ({ ...part, headers: [m.line] }));
    case 'name':
      return withPart(parts, m.at, (part) => ({
        ...part,
        headers: part.headers.map((h) => h.replace(/name="[^"]*"/, `name="${m.name}"`)),
      }));
    case 'value':
      return withPart(parts, m.at, (part) => ({ ...part, body: Buffer.from(m.value) }));
    case 'flip':
      return withPart(parts, m.at, (part) => {
        if (part.body.length === 0) return part;
        const body = Buffer.from(part.body);
        const offset = m.offset % body.length;
        body[offset] = (body[offset] ?? 0) ^ 0xff;
        return { ...part, body };
      });
    default:
      return parts;
  }
}

/** Applies `mutations` to a request made of `parts`. */
export function damage(parts: readonly Part[], mutations: readonly Mutation[]): Damaged {
  let current = [...parts];
  for (const m of mutations) current = mutateParts(current, m);
  let announced = 'fuzz-boundary';
  let body = encodeParts(current, 'fuzz-boundary', !mutations.some((m) => m.kind === 'unclosed'));
  const headers: Record<string, string> = multipartHeaders('fuzz-boundary');
  let chunkSize = 0;
  let pauseMs = 0;
  for (const m of mutations) {
    if (m.kind === 'cut') body = body.subarray(0, Math.floor(body.length * m.fraction));
    if (m.kind === 'splice') {
      const at = Math.floor(body.length * m.fraction);
      body = Buffer.concat([body.subarray(0, at), m.bytes, body.subarray(at)]);
    }
    if (m.kind === 'boundary') announced = m.value;
    if (m.kind === 'trickle') {
      chunkSize = m.size;
      pauseMs = m.pauseMs;
    }
  }
  headers['content-type'] = `multipart/form-data; boundary=${announced}`;
  const chunked = mutations.find((m) => m.kind === 'chunked');
  const length = mutations.find((m) => m.kind === 'length');
  if (chunked) {
    headers['transfer-encoding'] = 'chunked';
    const pieces: Buffer[] = [];
    for (let i = 0; i < body.length; i += chunked.size) {
      const piece = body.subarray(i, i + chunked.size);
      pieces.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    body = Buffer.concat([...pieces, Buffer.from('0\r\n\r\n')]);
  } else if (length) {
    headers['content-length'] = String(Math.max(0, body.length + length.delta));
  }
  const request = rawRequest('/graphql', headers, body);
  const chunks: Buffer[] = [];
  if (chunkSize === 0) chunks.push(request);
  else
    for (let i = 0; i < request.length; i += chunkSize)
      chunks.push(request.subarray(i, i + chunkSize));
  return { chunks, pauseMs, hangUp: mutations.some((m) => m.kind === 'hangUp') };
}
