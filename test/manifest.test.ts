import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { parseConfig } from '../src/config.js';
import { SLACK_BOT_SCOPES, slackScopesNeeded } from '../src/requirements.js';
import { COMMAND, LOOKUP_SHORTCUT, LOOKUP_STEP, STEP_INPUTS } from '../src/slack/ids.js';
import { STEP_OUTPUT_TYPES } from '../src/slack/workflow-step.js';
import { MINIMAL_ENV } from './support/config.js';

type Json = Record<string, unknown>;

// Slack's published schema (slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json, MIT licence), vendored
// so the test runs anywhere the repository is cloned.
const schemaPath = new URL('./fixtures/slack-manifest.schema.1.0.0.json', import.meta.url);
const manifestText = readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8');
const manifest = parse(manifestText) as Record<string, never>;

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

  it('asks for the bot scopes the default configuration needs, and names the optional ones (src/requirements.ts)', () => {
    // The doctor checks the token against that list (src/checks/slack-scopes.ts): a scope added here goes there too.
    const bot = (manifest.oauth_config as unknown as { scopes: { bot: string[] } }).scopes.bot;
    expect(bot).toEqual(slackScopesNeeded(parseConfig(MINIMAL_ENV)).map((need) => need.scope));
    for (const optional of SLACK_BOT_SCOPES.filter((need) => need.when)) {
      expect(manifestText).toMatch(new RegExp(`# - ${optional.scope}\\n`));
    }
  });

  it('declares the Workflow Builder step as the code reads and completes it (docs/slack-platform.md §9.1)', () => {
    const functions = manifest.functions as unknown as Record<string, Json>;
    expect(Object.keys(functions)).toEqual([LOOKUP_STEP]);
    const step = functions[LOOKUP_STEP] as {
      input_parameters: Record<string, Json>;
      output_parameters: Record<string, Json>;
    };
    // The two inputs the listener reads: what to look up, and who runs the workflow (set by Slack, not the builder).
    expect(step.input_parameters).toEqual({
      [STEP_INPUTS.customer]: expect.objectContaining({ type: 'string', is_required: true }),
      [STEP_INPUTS.person]: expect.objectContaining({ type: 'slack#/types/user_context', is_required: true }),
    });
    // Exactly the outputs the renderer produces, with the same types; only `found` is always sent.
    const declared = Object.fromEntries(
      Object.entries(step.output_parameters).map(([name, parameter]) => [name, parameter.type]),
    );
    expect(declared).toEqual(STEP_OUTPUT_TYPES);
    const required = Object.entries(step.output_parameters).filter(([, parameter]) => parameter.is_required === true);
    expect(required.map(([name]) => name)).toEqual(['found']);
    for (const parameter of Object.values(step.output_parameters)) expect(parameter.title).toEqual(expect.any(String));

    const settings = manifest.settings as unknown as Json & { event_subscriptions: { bot_events: string[] } };
    expect(settings.function_runtime).toBe('remote');
    expect(settings.org_deploy_enabled).toBe(true);
    expect(settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['function_executed', 'app_home_opened']),
    );
  });

  it('enables the Home tab the app publishes', () => {
    const features = manifest.features as unknown as { app_home: Json };
    expect(features.app_home).toMatchObject({ home_tab_enabled: true });
  });
});
