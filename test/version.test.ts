import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { APP_NAME, APP_VERSION, USER_AGENT } from '../src/version.js';

describe('version', () => {
  it('matches package.json, so the User-Agent Komerza sees is true', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(APP_NAME).toBe(pkg.name);
    expect(APP_VERSION).toBe(pkg.version);
    expect(USER_AGENT.startsWith(`${pkg.name}/${pkg.version}`)).toBe(true);
  });
});
