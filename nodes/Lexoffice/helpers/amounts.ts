/**
 * A number, a numeric string ("1337.00", "1.337,00", "1,337.50", "12,5"), or undefined for
 * anything else. Amounts are JSON numbers, but one documented payments sample has "1337.00"
 * (lexoffice-api.md §8.1), so strings are read too, in English or German notation; a single comma
 * is a German decimal comma.
 */
export function parseAmount(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	let text = value.replace(/\s|€|EUR/g, '');
	const german = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text) || /^-?\d+,\d+$/.test(text);
	text = german ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,(?=\d{3}(\D|$))/g, '');
	return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
