/**
 * Writes the HTML report to disk atomically: the page is written to a
 * temporary file in the target directory and renamed over `index.html`, so a
 * reader (or a crash) never sees a half-written report.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './html.js';
import type { ReportData } from './report-data.js';

let writes = 0;

/**
 * Renders `data` and writes it to `dir/index.html` (creating `dir`).
 *
 * @returns the path of the written file.
 * @example
 * const path = await writeReport('regula-report', data); // 'regula-report/index.html'
 */
export async function writeReport(dir: string, data: ReportData): Promise<string> {
  const html = await renderReport(data);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'index.html');
  const tmp = join(dir, `.index.html.${process.pid}.${++writes}.tmp`);
  try {
    writeFileSync(tmp, html, 'utf8');
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}
