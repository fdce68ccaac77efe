/**
 * A tiny Python `str.format` for checkpoint path templates, so Keras paths
 * work unchanged: `'ckpt-{epoch:02d}-{val_loss:.2f}'` → `'ckpt-03-0.41'`.
 *
 * Supported: `{name}` and `{name:spec}` with spec
 * `[[fill]align][sign][#][0][width][,][.precision][type]`, types d f F e E g G %
 * (and none), plus `{{` / `}}` escapes. Fields listed in `ints` are integers
 * (epoch, batch); every other value is a float, as in Keras's logs, so `d` on
 * a float is an error, as in Python. A name that is not in `values` throws an
 * error naming it and the names available.
 */

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([dfFeEgG%])?$/;

/** Python's exponent form: at least two exponent digits ('1.5e+00'). */
function pyExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function general(x: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alt ? (0).toFixed(p - 1) : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp >= -4 && exp < p) {
    s = x.toFixed(p - 1 - exp);
    if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  } else {
    s = x.toExponential(p - 1);
    if (!alt) s = s.replace(/\.?0+e/, 'e');
    s = pyExp(s);
  }
  return upper ? s.toUpperCase() : s;
}

/** Python `repr` of a float: shortest round-trip digits, always with a '.' or an exponent. */
function floatRepr(x: number): string {
  const e = x.toExponential(); // shortest round-trip digits
  const exp = Number(e.split('e')[1]);
  if (exp < -4 || exp >= 16) return pyExp(e);
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

function group(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Formats one value with a Python format spec. */
export function formatValue(value: number, spec: string, isInt: boolean, field: string): string {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`format: invalid format spec '${spec}' for field '${field}'`);
  const [, fillChar, align, sign = '-', alt, zero, widthStr, sep, precStr, type] = m;
  const precision = precStr === undefined ? undefined : Number(precStr);
  if (type === 'd' && !isInt) throw new Error(`format: code 'd' needs an integer, but '${field}' is a float (${value}); use e.g. '{${field}:.0f}'`);
  if (isInt && precision !== undefined && (type === undefined || type === 'd')) throw new Error(`format: precision not allowed in integer format for '${field}'`);
  const neg = value < 0 || Object.is(value, -0);
  const a = Math.abs(value);
  let body: string;
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
  else if (type === 'd' || (type === undefined && isInt)) body = String(Math.round(a));
  else if (type === 'f' || type === 'F') body = a.toFixed(precision ?? 6);
  else if (type === 'e' || type === 'E') body = pyExp(a.toExponential(precision ?? 6));
  else if (type === 'g' || type === 'G') body = general(a, precision ?? 6, alt !== undefined, type === 'G');
  else if (type === '%') body = `${(a * 100).toFixed(precision ?? 6)}%`;
  else body = precision === undefined ? floatRepr(a) : general(a, precision, false, false);
  if (type === 'E' || type === 'F') body = body.toUpperCase();
  if (sep && Number.isFinite(a)) {
    const [i, ...rest] = body.split('.');
    body = [group(i!, sep), ...rest].join('.');
  }
  const signStr = neg && !(Number.isNaN(value)) ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const width = widthStr === undefined ? 0 : Number(widthStr);
  const fill = fillChar ?? (zero && !align ? '0' : ' ');
  const how = align ?? (zero ? '=' : '>');
  const pad = Math.max(0, width - signStr.length - body.length);
  const padding = fill.repeat(pad);
  switch (how) {
    case '<':
      return signStr + body + padding;
    case '^': {
      const left = fill.repeat(Math.floor(pad / 2));
      return left + signStr + body + fill.repeat(pad - left.length);
    }
    case '=':
      return signStr + padding + body;
    default:
      return padding + signStr + body;
  }
}

/**
 * Python `template.format(**values)` for numeric fields.
 * @example pyFormat('ckpt-{epoch:02d}-{val_loss:.2f}', { epoch: 3, val_loss: 0.4129 }, ['epoch']) // 'ckpt-03-0.41'
 */
export function pyFormat(template: string, values: Readonly<Record<string, number>>, ints: readonly string[] = []): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (c === '}' && template[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error(`format: unmatched '{' at position ${i} in '${template}'`);
      const inner = template.slice(i + 1, end);
      const colon = inner.indexOf(':');
      const name = colon < 0 ? inner : inner.slice(0, colon);
      const spec = colon < 0 ? '' : inner.slice(colon + 1);
      if (name === '' || /[[\].!]/.test(name)) throw new Error(`format: field '{${inner}}' in '${template}' must be a plain name like {epoch} or {val_loss:.2f}`);
      if (!Object.prototype.hasOwnProperty.call(values, name)) {
        throw new Error(`format: the template '${template}' needs '${name}', which is not available (available: ${Object.keys(values).join(', ') || 'none'})`);
      }
      out += formatValue(values[name]!, spec, ints.includes(name), name);
      i = end + 1;
    } else if (c === '}') {
      throw new Error(`format: single '}' at position ${i} in '${template}' (write '}}' for a literal brace)`);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
