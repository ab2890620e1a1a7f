// Plain-text tables for the benchmark output (Markdown pipe tables, columns aligned).

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  title: string;
  /** Printed under the title, e.g. the load average while the table was measured. */
  notes?: string[];
  columns: string[];
  rows: Cell[][];
}

export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    if (Number.isInteger(value) && abs < 1e7) return String(value);
    if (abs >= 1e6) return value.toExponential(5);
    if (abs !== 0 && abs < 1e-3) return value.toExponential(2);
    return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  }
  return value;
}

export function renderTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(formatCell))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const numeric = table.columns.map((_, c) => table.rows.length > 0 && table.rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const line = (r: string[]) => `| ${r.map((v, c) => (numeric[c] ? (v ?? '').padStart(widths[c]) : (v ?? '').padEnd(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [`## ${table.title}`, ...(table.notes ?? []).map((n) => `  ${n}`), '', line(cells[0]), rule, ...cells.slice(1).map(line), ''].join('\n');
}

export function printTable(table: Table) {
  process.stdout.write(`\n${renderTable(table)}\n`);
}
