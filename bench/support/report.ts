/** How the benchmark states a figure, its target and whether it met it. */

/** A figure with a target: `value op limit`. */
export interface Target {
  op: '>=' | '<=';
  limit: number;
}

/** One line of the result table. */
export interface Figure {
  section: 'overhead' | 'cold-start' | 'bulk' | 'per-message' | 'memory' | 'bounds' | 'stores' | 'verify';
  name: string;
  value: number;
  unit: string;
  /** How the value was obtained, or what it is compared with. */
  detail?: string;
  target?: Target;
  /** Set for figures with a target. */
  pass?: boolean;
}

/** A figure with its pass/miss filled in. */
export function figure(f: Omit<Figure, 'pass'>): Figure {
  if (!f.target) return f;
  const pass =
    Number.isFinite(f.value) &&
    (f.target.op === '>=' ? f.value >= f.target.limit : f.value <= f.target.limit);
  return { ...f, pass };
}

/** A number for the table: thousands grouped, `digits` decimals. */
export function format(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function digitsFor(value: number): number {
  const abs = Math.abs(value);
  return abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
}

/** The figures as a Markdown table (valid Markdown and readable in a terminal). */
export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${format(f.value, digitsFor(f.value))} ${f.unit}`.trim(),
    f.target ? `${f.target.op} ${format(f.target.limit, digitsFor(f.target.limit))} ${f.unit}`.trim() : '',
    f.pass === undefined ? '' : f.pass ? 'pass' : 'MISS',
    f.detail ?? '',
  ]);
  const header = ['Section', 'Figure', 'Value', 'Target', 'Result', 'Detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
