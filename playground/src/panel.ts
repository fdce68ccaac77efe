/**
 * The settings panel: writes a state into the form and reads the form back
 * into a state. Every control is a native, labelled form element, so the
 * panel works from the keyboard and with screen readers.
 */
import { ACTIVATIONS, CONSTRAINTS, OPTIMIZERS, syncLayers, type LayerRegNumber, type PlaygroundState } from './state.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: element #${id} is missing`);
  return el as T;
};
export { $ };

const NUMBERS = ['noise', 'samples', 'testSplit', 'validationSplit', 'lr', 'batchSize', 'epochs', 'seed', 'weightDecay', 'patience'] as const;

const REG_LABELS: Record<LayerRegNumber | 'constraint', string> = {
  kernelL1: 'Kernel L1',
  kernelL2: 'Kernel L2',
  biasL1: 'Bias L1',
  biasL2: 'Bias L2',
  activityL1: 'Activity L1',
  activityL2: 'Activity L2',
  constraint: 'Kernel constraint',
  maxNorm: 'Max-norm limit',
  dropout: 'Dropout rate',
  gaussianNoise: 'Gaussian noise σ',
  gaussianDropout: 'Gaussian dropout rate',
};
const ROWS = ['kernelL1', 'kernelL2', 'biasL1', 'biasL2', 'activityL1', 'activityL2', 'constraint', 'maxNorm', 'dropout', 'gaussianNoise', 'gaussianDropout'] as const;

function fillSelect(id: string, values: readonly string[]): void {
  const sel = $<HTMLSelectElement>(id);
  sel.replaceChildren(...values.map((v) => new Option(v, v)));
}

/** One-time setup of the fixed option lists. */
export function initPanel(): void {
  fillSelect('activation', ACTIVATIONS);
  fillSelect('optimizer', OPTIMIZERS);
}

/** Rebuilds the regularization table for the layers of `s` (one column per hidden layer). */
function buildRegTable(s: PlaygroundState): void {
  const table = $<HTMLTableElement>('reg');
  const heads = Array.from(table.querySelectorAll('tr:first-child th')).map((th) => th.textContent).join('|');
  if (heads === ['', ...s.hidden.map((u, i) => `Layer ${i + 1} (${u})`)].join('|')) {
    // Same layers: update the values in place, so focus stays where the user is.
    for (const el of Array.from(table.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-key]'))) {
      const l = s.layers[Number(el.dataset['layer'])]!;
      const key = el.dataset['key'] as (typeof ROWS)[number];
      el.value = String(l[key]);
    }
    return;
  }
  const head = document.createElement('tr');
  head.append(document.createElement('th'));
  s.hidden.forEach((u, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = `Layer ${i + 1} (${u})`;
    head.append(th);
  });
  const rows = ROWS.map((key) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = REG_LABELS[key];
    tr.append(th);
    s.layers.forEach((l, i) => {
      const td = document.createElement('td');
      let control: HTMLInputElement | HTMLSelectElement;
      if (key === 'constraint') {
        const sel = document.createElement('select');
        sel.append(...CONSTRAINTS.map((c) => new Option(c, c)));
        sel.value = l.constraint;
        control = sel;
      } else {
        const inp = document.createElement('input');
        inp.type = 'number';
        inp.min = '0';
        inp.step = 'any';
        inp.value = String(l[key]);
        control = inp;
      }
      control.id = `reg-${key}-${i}`;
      control.dataset['key'] = key;
      control.dataset['layer'] = String(i);
      control.setAttribute('aria-label', `Layer ${i + 1} ${REG_LABELS[key]}`);
      td.append(control);
      tr.append(td);
    });
    return tr;
  });
  table.replaceChildren(head, ...rows);
  if (s.hidden.length === 0) table.replaceChildren();
}

/** Shows `s` in the form. */
export function writePanel(s: PlaygroundState): void {
  $<HTMLSelectElement>('data').value = s.data;
  for (const k of NUMBERS) $<HTMLInputElement>(k).value = String(s[k]);
  $<HTMLInputElement>('hidden').value = s.hidden.join(',');
  $<HTMLSelectElement>('activation').value = s.activation;
  $<HTMLSelectElement>('optimizer').value = s.optimizer;
  $<HTMLInputElement>('restoreBest').checked = s.restoreBest;
  buildRegTable(s);
  showDataKind(s);
}

/** Shows the controls that belong to the data set of `s` (2-D sets, CSV). */
export function showDataKind(s: PlaygroundState): void {
  $<HTMLSelectElement>('data').value = s.data;
  document.body.classList.toggle('not-toy', !['circle', 'xor', 'gauss', 'spiral'].includes(s.data));
  document.body.classList.toggle('csv', s.data === 'csv');
  document.body.classList.toggle('images', s.data === 'digits');
}

/** Reads the form into a state (starting from `prev` for what the form does not hold). */
export function readPanel(prev: PlaygroundState): PlaygroundState {
  const s: PlaygroundState = structuredClone(prev);
  s.data = $<HTMLSelectElement>('data').value as PlaygroundState['data'];
  for (const k of NUMBERS) s[k] = Number($<HTMLInputElement>(k).value);
  const hidden = $<HTMLInputElement>('hidden').value.trim();
  s.hidden = hidden === '' ? [] : hidden.split(/[\s,]+/).map(Number);
  s.activation = $<HTMLSelectElement>('activation').value as PlaygroundState['activation'];
  s.optimizer = $<HTMLSelectElement>('optimizer').value as PlaygroundState['optimizer'];
  s.restoreBest = $<HTMLInputElement>('restoreBest').checked;
  for (const el of Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('#reg [data-key]'))) {
    const layer = s.layers[Number(el.dataset['layer'])];
    const key = el.dataset['key'] as (typeof ROWS)[number];
    if (!layer) continue;
    if (key === 'constraint') layer.constraint = el.value as PlaygroundState['layers'][number]['constraint'];
    else layer[key] = Number(el.value);
  }
  if (s.data === 'csv') s.target = $<HTMLSelectElement>('target').value;
  return syncLayers(s);
}

/** The user CSV's columns in the target picker. */
export function showColumns(columns: readonly string[], target: string): void {
  const sel = $<HTMLSelectElement>('target');
  sel.replaceChildren(...columns.map((c) => new Option(c, c)));
  sel.value = target;
}

