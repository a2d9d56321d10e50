import { parseConfig } from '../src/config.js';

try {
  parseConfig({
    SLACK_BOT_TOKEN: 'xoxp-secret',
    KOMERZA_STORE_ID: 'nope',
    PORT: 'abc',
    LOG_LEVEL: 'loud',
    SLACK_API_URL: 'ftp://x',
  });
} catch (e) {
  console.log(String((e as Error).message));
}
console.log(
  parseConfig({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    KOMERZA_API_KEY: 'k12345678',
    KOMERZA_STORE_ID: '3f2b0000-0000-4000-8000-000000000000',
    SLACK_API_URL: '',
    KOMERZA_API_URL: 'http://127.0.0.1:9',
  }),
);
