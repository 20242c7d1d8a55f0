import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.js';
import { redactUrl, redactUrlsInText } from '../src/redact-url.js';

test('redactUrl masks userinfo, query values, the fragment, hook tokens and random-looking path segments', () => {
  assert.equal(redactUrl('https://user:PASS@host.example/hook?token=T&x=1#frag'), 'https://***@host.example/hook?token=***&x=***#***');
  assert.equal(redactUrl('https://hooks.slack.com/services/T000/B000/XXXX'), 'https://hooks.slack.com/services/***/***/***');
  assert.equal(redactUrl('https://discord.com/api/webhooks/1234/abcDEF'), 'https://discord.com/api/webhooks/***/***');
  assert.equal(redactUrl('https://h.example/v1/a8F3kQ9zL2mN7pR4tX/run'), 'https://h.example/v1/***/run', 'a long mixed token anywhere');
  assert.equal(
    redactUrl('https://api.wandb.ai/files/my-team/my-project/k3x9a2bq/file_stream'),
    'https://api.wandb.ai/files/my-team/my-project/k3x9a2bq/file_stream',
    'names stay',
  );
  assert.equal(redactUrl('https://h.example/?SECRET'), 'https://h.example/?***');
});

test('redactUrlsInText masks every URL inside a message and keeps the punctuation around it', () => {
  assert.equal(
    redactUrlsInText('cannot reach (https://u:p@h.example/x?token=T), nor "http://h2.example/y?sig=S".'),
    'cannot reach (https://***@h.example/x?token=***), nor "http://h2.example/y?sig=***".',
  );
});

test('the logger masks URLs in URL fields and in any message or error text', () => {
  let logged = '';
  const sink = new Writable({
    write(c, _e, cb) {
      logged += c.toString();
      cb();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  log.warn({ url: 'https://u:PASS1@h.example/hook?token=TOKEN1', apiKey: 'KEY1' }, 'posting to https://u:PASS2@h.example/services/T1/B1/HOOKTOKEN2');
  log.error({ err: new Error('fetch https://h.example/x?sig=SIG3 failed') }, 'failed');
  for (const secret of ['PASS1', 'TOKEN1', 'KEY1', 'PASS2', 'HOOKTOKEN2', 'SIG3']) assert.ok(!logged.includes(secret), `${secret} logged: ${logged}`);
  for (const line of logged.trim().split('\n')) JSON.parse(line);
  assert.match(logged, /"url":"https:\/\/\*\*\*@h\.example\/hook\?token=\*\*\*"/);
});
