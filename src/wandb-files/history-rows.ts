/**
 * A run's history rows as an import holds them before they are written: the JSON lines' bytes one
 * after another in one growing buffer, with each row's end and step. A 100k-row run is one buffer
 * outside the JS heap instead of 100k strings the collector copies; a row's string is made when
 * the store binds it and dropped right after.
 */
import type { HistoryRowSource } from '../store/index.js';

/** A run's rows without their lines: their count and last step (rows an import already wrote). */
export interface RunRows extends HistoryRowSource {
  lastStep(): number | undefined;
}

/** Rows already written, known by their count and last step only (their lines are in the store). */
export class WrittenRows implements RunRows {
  constructor(
    readonly length: number,
    private readonly last: number | undefined,
  ) {}
  stepAt(i: number): number {
    if (i !== this.length - 1 || this.last === undefined) throw new RangeError(`row ${i} was written and is not kept`);
    return this.last;
  }
  lineAt(i: number): string {
    throw new RangeError(`row ${i} was written and is not kept`);
  }
  lastStep(): number | undefined {
    return this.last;
  }
}

export class HistoryRows implements RunRows {
  /** The lines' bytes; `pos` is where the next row starts. Writers (the fast decoder) append here. */
  buf: Buffer;
  pos = 0;
  // True once a row holds a byte above 0x7f (else a line is read as latin1, which needs no decoding).
  private wide = false;
  private readonly ends: number[] = [];
  private readonly steps: number[] = [];
  // The last `_timestamp`: a number, or the bytes of a plain number literal parsed when asked for.
  private time: number | undefined;
  private timeStart = -1;
  private timeEnd = -1;
  /** Rows written and dropped before the ones held (see `drop`), and the step of the last of them. */
  dropped = 0;
  private droppedStep: number | undefined;

  /** `expected`: the bytes the lines will likely take (a file's size: its lines are about as long as its records). */
  constructor(expected = 1 << 16) {
    // Not zeroed, so pages never written are never touched.
    this.buf = Buffer.allocUnsafe(Math.max(1 << 16, expected));
  }

  get length(): number {
    return this.ends.length;
  }

  stepAt(i: number): number {
    return this.steps[i] as number;
  }

  lineAt(i: number): string {
    return this.buf.toString(this.wide ? 'utf8' : 'latin1', i === 0 ? 0 : (this.ends[i - 1] as number), this.ends[i] as number);
  }

  /**
   * Row i's line as its UTF-8 bytes (a view of the buffer, valid until the next row is written):
   * what `lineAt` answers, encoded, since every line is written from a string or is ASCII.
   */
  lineBytesAt(i: number): Buffer {
    return this.buf.subarray(i === 0 ? 0 : (this.ends[i - 1] as number), this.ends[i] as number);
  }

  /** The step of the last row, if any (held, or dropped). */
  lastStep(): number | undefined {
    return this.steps.length > 0 ? this.steps[this.steps.length - 1] : this.droppedStep;
  }

  /** Forgets the rows held (once written), keeping their count, the last step and the last time: the buffer is reused. */
  drop(): void {
    if (this.ends.length === 0) return;
    this.lastTime();
    this.droppedStep = this.lastStep();
    this.dropped += this.ends.length;
    this.ends.length = 0;
    this.steps.length = 0;
    this.pos = 0;
  }

  /** Makes room for `n` more bytes at `pos`. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Ends the row written at [previous end, pos). */
  commit(step: number): void {
    this.ends.push(this.pos);
    this.steps.push(step);
  }

  /** Appends a row given as its line. */
  pushLine(step: number, line: string): void {
    const n = Buffer.byteLength(line);
    if (n !== line.length) this.wide = true;
    this.ensure(n);
    this.pos += this.buf.write(line, this.pos, 'utf8');
    this.commit(step);
  }

  /** A row's `_timestamp`, when it is a finite number. */
  noteTime(t: number | undefined): void {
    if (typeof t !== 'number' || !Number.isFinite(t)) return;
    this.time = t;
    this.timeStart = -1;
  }

  /** A row's `_timestamp` as the bytes [start, end) of a number literal that parses finite (read later, if ever). */
  noteTimeBytes(start: number, end: number): void {
    this.timeStart = start;
    this.timeEnd = end;
  }

  /** The last finite `_timestamp` noted, if any. */
  lastTime(): number | undefined {
    if (this.timeStart >= 0) {
      this.time = Number(this.buf.toString('latin1', this.timeStart, this.timeEnd));
      this.timeStart = -1;
    }
    return this.time;
  }
}
