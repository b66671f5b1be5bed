/** Plain-text tables for the terminal. Pure. */

export type Cell = string | number | undefined;

/** Numbers with up to `digits` decimals and thousands separators; undefined → '–' (not measured). */
export function formatNumber(value: number | undefined, digits = 0): string {
	if (value === undefined || !Number.isFinite(value)) return '–';
	return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function cellText(cell: Cell): string {
	if (cell === undefined) return '–';
	return typeof cell === 'number' ? formatNumber(cell, Number.isInteger(cell) ? 0 : 2) : cell;
}

/** Columns padded to their widest cell; numbers right-aligned, text left-aligned. */
export function formatTable(headers: string[], rows: Cell[][]): string {
	const texts = [headers, ...rows.map((row) => headers.map((_, column) => cellText(row[column])))];
	const widths = headers.map((_, column) => Math.max(...texts.map((row) => row[column].length)));
	const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] !== 'string'));
	const line = (row: string[]) =>
		row
			.map((text, column) => (numeric[column] ? text.padStart(widths[column]) : text.padEnd(widths[column])))
			.join('  ')
			.trimEnd();
	const rule = widths.map((width) => '-'.repeat(width)).join('  ');
	return [line(texts[0]), rule, ...texts.slice(1).map(line)].join('\n');
}
