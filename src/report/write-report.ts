/**
 * Writes the HTML report to disk atomically: the page is written to a
 * temporary file in the target directory and renamed over `index.html`, so a
 * reader (or a crash) never sees a half-written report.
 */
import { join } from 'node:path';
import { writeTextFileAtomic } from '../io/fs.js';
import { renderReport } from './html.js';
import type { ReportData } from './report-data.js';

/**
 * Renders `data` and writes it to `dir/index.html` (creating `dir`).
 *
 * @returns the path of the written file.
 * @example
 * const path = await writeReport('regula-report', data); // 'regula-report/index.html'
 */
export async function writeReport(dir: string, data: ReportData): Promise<string> {
  const path = join(dir, 'index.html');
  await writeTextFileAtomic(path, await renderReport(data));
  return path;
}
