// A dataset CSV (header row, comma-separated, RFC 4180 quotes) as records: numbers as numbers,
// "NA" and empty cells as missing (absent), as the converters' test datasets write them.
type Cell = number | string;

function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(cur); cur = ''; }
    else cur += ch;
  }
  cells.push(cur);
  return cells;
}

export function csvRecords(text: string, maxRows: number): Record<string, Cell>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitLine(lines[0] ?? '');
  const out: Record<string, Cell>[] = [];
  for (const line of lines.slice(1, maxRows + 1)) {
    const cells = splitLine(line);
    const rec: Record<string, Cell> = {};
    header.forEach((name, i) => {
      const raw = cells[i];
      if (raw === undefined || raw === '' || raw === 'NA' || name in rec) return;
      const n = Number(raw);
      rec[name] = raw.trim() !== '' && Number.isFinite(n) && /^[-+]?[\d.]/.test(raw.trim()) ? n : raw;
    });
    out.push(rec);
  }
  return out;
}

/** A transactional CSV (id,item per row) as one record per id holding its items (not used by the harness yet). */
export function transactionRecords(text: string, maxRows: number): Record<string, string[]>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const [idName, itemName] = splitLine(lines[0] ?? '');
  const byId = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const [id, item] = splitLine(line);
    if (id === undefined || item === undefined) continue;
    if (!byId.has(id) && byId.size >= maxRows) break;
    (byId.get(id) ?? byId.set(id, []).get(id)!).push(item);
  }
  return [...byId.entries()].map(([id, items]) => ({ [idName!]: [id], [itemName!]: items }));
}
