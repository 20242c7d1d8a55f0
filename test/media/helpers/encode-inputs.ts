// The input files of the encode tests (images, audio, video, html and some broken ones), written once
// per test file, and the digest W&B names media files by.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as enc from './encoders.js';

export const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Writes the input files into a new folder `inputs`. */
export async function writeEncodeInputs(inputs: string): Promise<void> {
  await mkdir(inputs);
  await writeFile(join(inputs, 'a.png'), enc.png(4, 3));
  await writeFile(join(inputs, 'b.jpeg'), enc.jpeg(16, 8));
  await writeFile(join(inputs, 'tone.wav'), enc.wav(16000, 1, 16, 8000));
  await writeFile(join(inputs, 'clip.mp4'), enc.mp4(32, 24));
  await writeFile(join(inputs, 'page.html'), '<p>hi</p>');
  await writeFile(join(inputs, 'notes.txt'), 'not an image');
  await writeFile(join(inputs, 'notes.png'), 'not an image either');
  await writeFile(join(inputs, 'cut.png'), enc.png(4, 3).subarray(0, 20));
  await writeFile(join(inputs, 'tone-really.mp3'), enc.wav(16000, 1, 16, 8000));
  await writeFile(join(inputs, 'cut.wav'), enc.wav(16000, 1, 16, 8000).subarray(0, 40));
  await writeFile(join(inputs, 'song.mp3'), enc.mp3(20, { id3: 100 }));
}
