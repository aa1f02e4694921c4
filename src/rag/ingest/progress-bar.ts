/**
 * Progress for long ingests on stderr: a redrawn bar on a terminal (at most ~10 redraws a
 * second), a plain line every few seconds when stderr is a file or pipe, nothing when disabled.
 */

/** Where progress is written: process.stderr, or any stream-like object with write(). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  label?: string;
  /** Items expected; without it the bar shows the count and rate only. */
  total?: number;
  /** Shown after the count, e.g. "docs", "chunks". Default "items". */
  unit?: string;
  /** Default true. */
  enabled?: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Milliseconds clock; tests pass their own. Default performance.now. */
  now?: () => number;
  /** Plain-line interval when the stream is not a terminal. Default 5,000 ms. */
  plainIntervalMs?: number;
}

const TTY_REDRAW_MS = 100;
const BAR_WIDTH = 24;

export class ProgressBar {
  private readonly label: string;
  private readonly unit: string;
  private readonly enabled: boolean;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly plainIntervalMs: number;
  private readonly startedAt: number;
  private total: number | undefined;
  private count = 0;
  private lastDrawAt = -Infinity;
  private drewSomething = false;
  private finished = false;

  constructor(options: ProgressBarOptions = {}) {
    this.label = options.label ?? 'progress';
    this.unit = options.unit ?? 'items';
    this.enabled = options.enabled ?? true;
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    this.plainIntervalMs = options.plainIntervalMs ?? 5000;
    this.total = options.total;
    this.startedAt = this.now();
  }

  /** Counts `n` more items done. */
  tick(n = 1): void {
    this.set(this.count + n);
  }

  /** Sets the number of items done. */
  set(count: number): void {
    this.count = count;
    this.maybeDraw();
  }

  /** Changes the expected total (e.g. once discovery has finished). */
  setTotal(total: number): void {
    this.total = total;
    this.maybeDraw();
  }

  /** Draws the final state and ends the line; later calls do nothing. */
  done(): void {
    if (!this.enabled || this.finished) return;
    this.finished = true;
    if (this.isTTY) this.stream.write(`\r${this.line()}\x1b[K\n`);
    else if (this.drewSomething || this.count > 0) this.stream.write(`${this.line()}\n`);
  }

  /** The status line as it would be drawn now, e.g. "ingesting [=====>   ] 120/400 docs 35.2/s ETA 8s". */
  line(): string {
    const elapsedSeconds = Math.max((this.now() - this.startedAt) / 1000, 1e-9);
    const rate = this.count / elapsedSeconds;
    const parts = [this.label];
    if (this.total !== undefined && this.total > 0) {
      const fraction = Math.min(1, this.count / this.total);
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(`[${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}]`, `${this.count}/${this.total} ${this.unit}`, `${Math.floor(fraction * 100)}%`);
    } else {
      parts.push(`${this.count} ${this.unit}`);
    }
    parts.push(`${formatRate(rate)}/s`);
    if (this.total !== undefined && this.count < this.total && rate > 0) {
      parts.push(`ETA ${formatDuration((this.total - this.count) / rate)}`);
    } else if (this.finished) {
      parts.push(`in ${formatDuration(elapsedSeconds)}`);
    }
    return parts.join(' ');
  }

  private get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  private maybeDraw(): void {
    if (!this.enabled || this.finished) return;
    const now = this.now();
    const interval = this.isTTY ? TTY_REDRAW_MS : this.plainIntervalMs;
    if (now - this.lastDrawAt < interval) return;
    // The first plain line waits one interval: short runs print only their final line.
    if (!this.isTTY && this.lastDrawAt === -Infinity) {
      this.lastDrawAt = now;
      return;
    }
    this.lastDrawAt = now;
    this.drewSomething = true;
    this.stream.write(this.isTTY ? `\r${this.fitted(this.line())}\x1b[K` : `${this.line()}\n`);
  }

  private fitted(line: string): string {
    const columns = this.stream.columns;
    return columns && line.length >= columns ? line.slice(0, columns - 1) : line;
  }
}

function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : rate.toFixed(1);
}

/** "45s", "3m 05s", "1h 02m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
