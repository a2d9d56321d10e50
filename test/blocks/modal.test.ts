import { describe, expect, it } from '@jest/globals';
import { noCandidatesMessage } from '../../src/blocks/errors.js';
import { loadingModal, messageModal } from '../../src/blocks/modal.js';
import { notInChannelMessage, searchExpiredMessage, sharedBanner } from '../../src/blocks/share.js';
import { blockKitViolations } from '../support/block-kit-limits.js';

type Json = Record<string, unknown>;

describe('lookup modal', () => {
  it('has a short title and keeps within modal limits', () => {
    const loading = loadingModal('{"ch":"C1","ts":"1.2"}');
    expect(blockKitViolations(loading as unknown as Json, { surface: 'modal' })).toEqual([]);
    expect(loading.private_metadata).toBe('{"ch":"C1","ts":"1.2"}');
    const many = {
      text: 'x',
      blocks: Array.from({ length: 120 }, () => ({ type: 'divider' as const })),
    };
    expect(blockKitViolations(messageModal(many) as unknown as Json, { surface: 'modal' })).toEqual([]);
  });

  it('explains how to look up when a message names nobody', () => {
    expect(JSON.stringify(noCandidatesMessage())).toContain('/customer jane');
  });
});

describe('share notices', () => {
  it('mention only Slack ids, never arbitrary text', () => {
    expect(sharedBanner('U0AGENT', new Date(0))).toContain('<@U0AGENT>');
    expect(sharedBanner('<!channel>', new Date(0))).not.toContain('<!channel>');
    expect(JSON.stringify(notInChannelMessage('C0SUPPORT'))).toContain('<#C0SUPPORT>');
    expect(JSON.stringify(notInChannelMessage('<!here>'))).not.toContain('<!here>');
  });

  it('are valid messages', () => {
    for (const message of [notInChannelMessage('C1'), searchExpiredMessage()]) {
      expect(blockKitViolations(message as unknown as Json, { surface: 'message' })).toEqual([]);
    }
  });
});
