import { ConfigError } from '../../src/config.js';

/** The smallest environment that parses (HTTP mode): tests add or override what they are about. */
export const MINIMAL_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-secretvalue',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  KOMERZA_API_KEY: 'komerza-secret-value',
  KOMERZA_STORE_ID: '5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10',
} as const;

/** The problems `parse(env)` reports (none: an empty list). Other errors are rethrown. */
export function configProblems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
