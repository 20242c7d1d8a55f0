/**
 * An independent reader of the `.wandb` framing for tests, written from PROTOCOL.md §15 and not
 * sharing code with src/wandb-files: it checks the header, that no chunk crosses a 32 KiB block,
 * the CRC-32 of every chunk, and the full/first/middle/last sequence.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';

export interface TestFrames {
  payloads: Buffer[];
  chunks: number;
  types: number[];
}

export function readFramesStrict(file: Buffer): TestFrames {
  assert.deepEqual([...file.subarray(0, 7)], [0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00], 'the :W&B header, magic 0xBEE1 LE, version 0');
  const payloads: Buffer[] = [];
  const types: number[] = [];
  let pending: Buffer[] | null = null;
  let at = 7;
  let chunks = 0;
  while (at < file.length) {
    const left = 32768 - (at % 32768);
    if (left < 7) {
      assert.ok(
        file.subarray(at, at + left).every((b) => b === 0),
        `block tail at ${at} is zero`,
      );
      at += left;
      continue;
    }
    const crc = file.readUInt32LE(at);
    const length = file.readUInt16LE(at + 4);
    const type = file.readUInt8(at + 6);
    assert.ok(7 + length <= left, `chunk at ${at} stays inside its block`);
    const data = file.subarray(at + 7, at + 7 + length);
    assert.equal(data.length, length, `chunk at ${at} is whole`);
    assert.equal(crc32(Buffer.concat([Buffer.from([type]), data])), crc, `CRC-32 of chunk at ${at}`);
    chunks++;
    types.push(type);
    if (type === 1) {
      assert.equal(pending, null);
      payloads.push(Buffer.from(data));
    } else if (type === 2) {
      assert.equal(pending, null);
      pending = [Buffer.from(data)];
    } else if (type === 3) {
      assert.ok(pending);
      pending.push(Buffer.from(data));
    } else if (type === 4) {
      assert.ok(pending);
      pending.push(Buffer.from(data));
      payloads.push(Buffer.concat(pending));
      pending = null;
    } else assert.fail(`chunk type ${type} at ${at}`);
    at += 7 + length;
  }
  assert.equal(pending, null, 'no record left open at the end');
  return { payloads, chunks, types };
}
