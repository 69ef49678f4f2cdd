/** Rows of cells as left-aligned columns, `gap` spaces apart, for logs and terminals. */
export function alignedColumns(table: string[][], gap: number): string[] {
  const widths = table[0].map((_, i) =>
    Math.max(...table.map(row => row[i].length)),
  );
  return table.map(row =>
    row
      .map((cell, i) => cell.padEnd(widths[i] + gap))
      .join('')
      .trimEnd(),
  );
}
