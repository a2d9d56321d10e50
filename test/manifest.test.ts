import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { COMMAND, LOOKUP_SHORTCUT } from '../src/slack/ids.js';

type Json = Record<string, unknown>;

// Slack's published schema (slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json, MIT licence), vendored
// so the test runs anywhere the repository is cloned.
const schemaPath = new URL('./fixtures/slack-manifest.schema.1.0.0.json', import.meta.url);
const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Record<string, never>;

describe('manifest.yml', () => {
  it('is valid against Slack’s app manifest schema', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares the command and the shortcut the app listens for (the ids the code registers)', () => {
    const features = manifest.features as unknown as { slash_commands: Json[]; shortcuts: Json[] };
    expect(features.slash_commands).toEqual([expect.objectContaining({ command: COMMAND, should_escape: true })]);
    expect(features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: LOOKUP_SHORTCUT })]);
    const text = JSON.stringify(manifest);
    expect(text).toContain('"is_enabled":true');
    expect(text).toContain('"commands"');
  });
});
