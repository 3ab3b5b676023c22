// Keras's CSVLogger (Node only): one row per epoch, `epoch` (from 0) then every log key, sorted.
//
// Rows already written are never rewritten, so nothing written can be lost: each epoch appends one
// whole line in one write and syncs it to disk, so an interrupted run (crash, kill, power loss) keeps
// every finished epoch and at worst cuts the row being written. Without `append`, the run's first
// row (with the header) goes to a temporary file that is renamed over `filename`, so an earlier log
// there is replaced only once the new run has a row to show, and never left half-truncated.

import { StateError, ValueError, describe } from '../errors.js';
import { Callback, type Logs } from './callback.js';

export interface CsvLoggerArgs {
  /** The file written. */
  filename: string;
  /** Column separator, one character (default ','). */
  separator?: string;
  /** Add rows to an existing file instead of replacing it (default false). */
  append?: boolean;
}

type Fs = typeof import('node:fs/promises');

export class CsvLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private fs: Fs | null = null;
  private columns: string[] | null = null;
  /** Whether the file already holds this run's (or an appended-to file's) header. */
  private started = false;

  constructor(args: CsvLoggerArgs) {
    super();
    const where = 'csvLogger';
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`${where}: expected { filename: 'training.csv' }, received ${describe(args)}.`);
    if (typeof args.filename !== 'string' || args.filename.length === 0)
      throw new ValueError(`${where}: filename must be a non-empty path string, received ${describe(args.filename)}.`);
    const separator = args.separator ?? ',';
    if (typeof separator !== 'string' || separator.length !== 1 || '"\r\n'.includes(separator)) {
      throw new ValueError(
        `${where}: separator must be one character other than a quote or a line break, such as ',' or ';', received ` +
          `${describe(args.separator)}.`,
      );
    }
    if (args.append !== undefined && typeof args.append !== 'boolean')
      throw new ValueError(`${where}: append must be true or false, received ${describe(args.append)}.`);
    this.filename = args.filename;
    this.separator = separator;
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    try {
      this.fs = await import('node:fs/promises');
    } catch (error) {
      throw new StateError(
        `csvLogger: writing a file needs Node.js (node:fs), which this runtime lacks ` +
          `(${error instanceof Error ? error.message : String(error)}); keep the history fit returns instead.`,
      );
    }
    this.columns = null;
    this.started = false;
    if (this.append) {
      const header = await this.firstLine();
      if (header !== null && header.length > 0) {
        this.columns = splitRow(header, this.separator).slice(1);
        this.started = true;
      }
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const fs = this.fs;
    if (!fs)
      throw new StateError('csvLogger: onTrainBegin was not called; pass the callback to fit in { callbacks: [...] }.');
    if (!this.columns) this.columns = Object.keys(logs).sort();
    const extra = Object.keys(logs).filter((k) => !this.columns!.includes(k));
    if (extra.length > 0) {
      throw new ValueError(
        `csvLogger: ${this.filename} has the columns epoch, ${this.columns.join(', ')}, which lack ` +
          `${extra.join(', ')} of this run's logs; log to another file or pass append: false.`,
      );
    }
    const cell = (v: number | undefined) => (v === undefined ? 'NA' : String(v));
    const row = [String(epoch), ...this.columns.map((k) => cell(logs[k]))].map((c) => quote(c, this.separator));
    let text = `${row.join(this.separator)}\n`;
    if (!this.started) {
      const header = ['epoch', ...this.columns].map((c) => quote(c, this.separator));
      text = `${header.join(this.separator)}\n${text}`;
      if (!this.append) {
        const temporary = `${this.filename}.${process.pid}.tmp`;
        await writeSynced(fs, temporary, text, 'w');
        await fs.rename(temporary, this.filename);
        this.started = true;
        return;
      }
    }
    await writeSynced(fs, this.filename, text, 'a');
    this.started = true;
  }

  private async firstLine(): Promise<string | null> {
    let handle: Awaited<ReturnType<Fs['open']>>;
    try {
      handle = await this.fs!.open(this.filename, 'r');
    } catch {
      return null;
    }
    try {
      const buffer = new Uint8Array(65536);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const text = new TextDecoder().decode(buffer.subarray(0, bytesRead));
      return text.split(/\r?\n/)[0];
    } finally {
      await handle.close();
    }
  }
}

async function writeSynced(fs: Fs, path: string, text: string, flags: 'w' | 'a'): Promise<void> {
  const handle = await fs.open(path, flags);
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A CSV cell, quoted when it holds the separator, a quote or a line break. */
function quote(cell: string, separator: string): string {
  return cell.includes(separator) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Splits a header row (quoted cells allowed). */
function splitRow(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === separator) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}

/**
 * Writes the epoch figures to a CSV file (Node), one row per epoch, synced to disk every epoch.
 *
 * @example
 * callbacks: [callbacks.csvLogger({ filename: 'training.csv' })]
 */
export function csvLogger(args: CsvLoggerArgs): CsvLogger {
  return new CsvLogger(args);
}
