/** Edit distance of two names (insertions, deletions, substitutions and swaps of neighbours). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known name nearest to `name`, when it is near enough to be a typo of it (at most a third of
 * its letters differ, case ignored).
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || d < best.distance) best = { name: candidate, distance: d };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Why a field is not taken: it is unknown, with the nearest known name when there is one. */
export function unknownFieldMessage(field: string, known: readonly string[]): string {
  const suggestion = nearestName(field, known);
  return suggestion === undefined
    ? `is not a known field (known: ${known.join(', ')})`
    : `is not a known field (did you mean \`${suggestion}\`?)`;
}

/** The fields of `value` that are not in `known`, each with why. */
export function unknownFields(
  value: object,
  known: readonly string[],
): Array<{ field: string; message: string }> {
  return Object.keys(value)
    .filter((field) => !known.includes(field))
    .map((field) => ({ field, message: unknownFieldMessage(field, known) }));
}
