import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { SETTING_NAMES } from '../src/config.js';

/** Every setting the app reads is in README's configuration table and in .env.example, and nothing else is. */

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('settings', () => {
  it("are each in README's configuration table", () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Operations'));
    const rows = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect([...rows].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('are each in .env.example', () => {
    const lines = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...new Set(lines)].sort()).toEqual([...SETTING_NAMES].sort());
  });
});
