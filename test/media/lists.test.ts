import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listItemDescriptors } from '../../src/media/lists.js';

test('list descriptors open into their items; anything else is not a list', () => {
  assert.deepEqual(
    listItemDescriptors({
      _type: 'images/separated',
      width: 7,
      height: 5,
      format: 'png',
      count: 2,
      filenames: ['media/images/a_0_x.png', 'media/images/a_0_y.gif'],
      captions: ['first', ''],
    }),
    [
      { _type: 'image-file', path: 'media/images/a_0_x.png', format: 'png', width: 7, height: 5, caption: 'first' },
      { _type: 'image-file', path: 'media/images/a_0_y.gif', format: 'gif', width: 7, height: 5 },
    ],
  );
  const clip = { _type: 'audio-file', path: 'media/audio/c_0_z.wav', sha256: 'z', size: 9 };
  assert.deepEqual(listItemDescriptors({ _type: 'audio', count: 2, audio: [clip, { ...clip, caption: 'own' }], captions: ['tone', 'list'] }), [
    { ...clip, caption: 'tone' },
    { ...clip, caption: 'own' },
  ]);
  assert.deepEqual(listItemDescriptors({ _type: 'videos', count: 1, videos: [{ _type: 'video-file', path: 'v.mp4' }], captions: false }), [
    { _type: 'video-file', path: 'v.mp4' },
  ]);
  assert.deepEqual(listItemDescriptors({ _type: 'html', count: 2, html: [{ _type: 'html-file', path: 'h.html' }, 'junk'] }), [
    { _type: 'html-file', path: 'h.html' },
  ]);
  for (const d of [
    { _type: 'image-file', path: 'x.png' },
    { _type: 'audio', path: 'x.wav' },
    { _type: 'histogram', values: [1] },
    { _type: 'images/separated' },
  ]) {
    assert.equal(listItemDescriptors(d), undefined, JSON.stringify(d));
  }
});
