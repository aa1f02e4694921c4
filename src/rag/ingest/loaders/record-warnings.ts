/** Collects per-record problems ("line 12: invalid JSON …"; the caller adds the file), capped so a file of a million bad lines cannot flood the report. */
const MAX_LISTED = 50;

export class RecordWarnings {
  private readonly listed: string[] = [];
  private dropped = 0;

  get count(): number {
    return this.listed.length + this.dropped;
  }

  add(position: string, problem: string): void {
    if (this.listed.length < MAX_LISTED) this.listed.push(`${position}: ${problem}; skipped it`);
    else this.dropped++;
  }

  toList(): string[] {
    return this.dropped === 0 ? [...this.listed] : [...this.listed, `${this.dropped} more bad records not listed`];
  }
}
