/**
 * Customer and vendor numbers without a Bitrix24 field of their own travel as lines in COMMENTS
 * ("LexOffice Kundennummer: 10001"). The sync writes them (lexofficeToBitrix24.ts); the way back
 * (bitrix24ToLexoffice.ts) takes them out of the note and can read the numbers.
 */
export type NumberRole = 'customer' | 'vendor';

const LABEL: Record<NumberRole, string> = { customer: 'Kundennummer', vendor: 'Lieferantennummer' };
const LINE = /^LexOffice (Kundennummer|Lieferantennummer): (\d+)$/;

/** The COMMENTS line for a number. */
export const numberLine = (role: NumberRole, number: number) => `LexOffice ${LABEL[role]}: ${number}`;

/** The role and number of a line written by numberLine; undefined for any other line. */
export function parseNumberLine(line: string): { role: NumberRole; number: number } | undefined {
	const match = LINE.exec(line.trim());
	if (!match) return undefined;
	return { role: match[1] === LABEL.customer ? 'customer' : 'vendor', number: Number(match[2]) };
}

/** The numbers a COMMENTS text carries as lines. */
export function numbersInComments(comments: string): Partial<Record<NumberRole, number>> {
	const numbers: Partial<Record<NumberRole, number>> = {};
	for (const line of comments.split(/\r?\n/)) {
		const parsed = parseNumberLine(line);
		if (parsed) numbers[parsed.role] = parsed.number;
	}
	return numbers;
}
