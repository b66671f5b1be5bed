import { formatNumber, formatTable } from '../../../scripts/lib/table';

describe('formatNumber', () => {
	it.each([
		[1234567, 0, '1,234,567'],
		[12.345, 1, '12.3'],
		[0.5, 2, '0.50'],
		[undefined, 0, '–'],
		[Number.NaN, 0, '–'],
		[Number.POSITIVE_INFINITY, 0, '–'],
	])('%p with %i digits → %s', (value, digits, text) => {
		expect(formatNumber(value, digits)).toBe(text);
	});
});

describe('formatTable', () => {
	it('pads columns, right-aligns numbers, left-aligns text and marks missing values', () => {
		const table = formatTable(
			['measure', 'published', 'note'],
			[
				['wall time (s)', 1234.5, 'slow'],
				['requests', 12, undefined],
			],
		);
		expect(table.split('\n')).toEqual([
			'measure        published  note',
			'-------------  ---------  ----',
			'wall time (s)   1,234.50  slow',
			'requests              12  –',
		]);
	});

	it('treats a column with any text as text', () => {
		const lines = formatTable(['a'], [[1], ['xyz']]).split('\n');
		expect(lines[2]).toBe('1');
	});
});
