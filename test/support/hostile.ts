import fc from 'fast-check';

/**
 * Arbitrary strings of the kind Komerza data or a person's text might hold when someone means harm (or a system
 * mangles it): Slack control sequences, pre-escaped entities, mrkdwn syntax, emoji with joiners, combining marks,
 * right-to-left text, invisible characters, lone surrogates, empty strings and strings up to 10,000 characters.
 */
export const HOSTILE_FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<@U123|boss>',
  '<#C123>',
  '<#C123|general>',
  '<!subteam^S1>',
  '<!subteam^S1|@support>',
  '<https://evil.example|Refund>',
  '<mailto:ceo@evil.example|Click>',
  '<!date^1392734382^{date}|Feb 18>',
  '&lt;!channel&gt;',
  '&amp;lt;',
  '&',
  '<',
  '>',
  '&#60;',
  '@here',
  '@channel',
  '#general',
  '*bold*',
  '_it_',
  '~s~',
  '`',
  '```',
  '\n>',
  ':rotating_light:',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  'مرحبا',
  'שלום',
  '\u202Eevil\u202C',
  '\u200B',
  '\uFEFF',
  '\n',
  '\t',
  ' ',
  '\uD800',
  '\uDC00',
  'jane@example.com',
];

const fragment = fc.constantFrom(...HOSTILE_FRAGMENTS);

/** A mix of fragments, arbitrary graphemes and arbitrary UTF-16 units (lone surrogates included). */
const mixed = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fragment },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

/** Long strings, built by repetition so generating 10,000 characters stays cheap; the cut may split an emoji. */
const long = fc
  .tuple(fc.constantFrom(...HOSTILE_FRAGMENTS, 'a', 'é '), fc.integer({ min: 1, max: 10_000 }))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mixed },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: long },
);

export const hostileOption: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);
