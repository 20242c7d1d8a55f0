/**
 * Ogg streams for test fixtures (Vorbis, Opus, Theora): a valid identification header page and
 * two pages of empty payload, with real page checksums, which is what the header parsers read.
 */
// Ogg's CRC: polynomial 0x04c11db7, not reflected, initial 0 (RFC 3533 §6).
const OGG_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c >>> 0;
});

function oggPage(serial: number, seq: number, granule: bigint, flags: number, packet: Buffer): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const h = Buffer.alloc(27);
  h.write('OggS', 0, 'latin1');
  h[5] = flags;
  h.writeBigInt64LE(granule, 6);
  h.writeUInt32LE(serial, 14);
  h.writeUInt32LE(seq, 18);
  h[26] = lacing.length;
  const page = Buffer.concat([h, Buffer.from(lacing), packet]);
  let crc = 0;
  for (const b of page) crc = ((crc << 8) ^ (OGG_TABLE[((crc >>> 24) ^ b) & 0xff] ?? 0)) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

function oggStream(serial: number, idPacket: Buffer, lastGranule: bigint): Buffer {
  return Buffer.concat([
    oggPage(serial, 0, 0n, 0x02, idPacket),
    oggPage(serial, 1, lastGranule / 2n, 0x00, Buffer.alloc(300)),
    oggPage(serial, 2, lastGranule, 0x04, Buffer.alloc(100)),
  ]);
}

export function oggVorbis(sampleRate: number, channels: number, totalSamples: number): Buffer {
  const id = Buffer.alloc(30);
  id[0] = 1;
  id.write('vorbis', 1, 'latin1');
  id.writeUInt32LE(0, 7);
  id[11] = channels;
  id.writeUInt32LE(sampleRate, 12);
  id.writeInt32LE(128000, 20);
  id[28] = 0xb8;
  id[29] = 1;
  return oggStream(0x1234, id, BigInt(totalSamples));
}

export function oggOpus(inputRate: number, channels: number, seconds: number, preSkip = 312): Buffer {
  const id = Buffer.alloc(19);
  id.write('OpusHead', 0, 'latin1');
  id[8] = 1;
  id[9] = channels;
  id.writeUInt16LE(preSkip, 10);
  id.writeUInt32LE(inputRate, 12);
  return oggStream(0x4321, id, BigInt(Math.round(seconds * 48000) + preSkip));
}

export function oggTheora(width: number, height: number): Buffer {
  const id = Buffer.alloc(42);
  id[0] = 0x80;
  id.write('theora', 1, 'latin1');
  id[7] = 3;
  id[8] = 2;
  id[9] = 1;
  id.writeUInt16BE(Math.ceil(width / 16), 10);
  id.writeUInt16BE(Math.ceil(height / 16), 12);
  id.writeUIntBE(width, 14, 3);
  id.writeUIntBE(height, 17, 3);
  return oggStream(0x777, id, 100n);
}
