/** Every text of one language of userTexts.ts as `path → text`, for the completeness and language checks. */
import { NO_CHANGES, type UserTexts } from '../../../nodes/shared/contract/userTexts';

/** Sample arguments for every text function; typed like the texts, so a new text without samples does not compile. */
type Samples<T> = {
	[K in keyof T]: T[K] extends (...args: infer A) => string ? A[] : T[K] extends string ? null : Samples<T[K]>;
};

const COUNTS = { created: 1, updated: 2, unchanged: 3, failed: 4 };
const STATUS = { draft: null, open: null, overdue: null, paid: null, voided: null };

export const SAMPLES: Samples<UserTexts> = {
	syncSummary: {
		heading: [
			[true, 12],
			[false, 12],
		],
		companies: null,
		contacts: null,
		contactPersons: null,
		counts: [['X', COUNTS]],
		adoptedExisting: [[3]],
		skipped: [[4, 1]],
		withWarnings: [[3]],
		failure: [['Eva Roth', 'crm.contact.add: refused']],
		moreFailures: [[3]],
		duplicatesRemoved: [[2]],
		duration: [[0], [3725]],
	},
	noteMarkerLabel: null,
	deletionNote: {
		text: [['lx-1', '2026-11-27 10:15', '(marker)']],
		dateFormat: null,
	},
	invoice: {
		title: [['RE-2026-0042'], [undefined]],
		status: STATUS,
		linkNote: [
			['RE-2026-0042', 'x'],
			[undefined, 'x'],
		],
		linkText: [['RE-2026-0042'], [undefined]],
		closingNote: {
			deleted: [['(marker)']],
			voided: [
				['RE-2026-0042', '(marker)'],
				[undefined, '(marker)'],
			],
		},
	},
	invoiceTriggers: { open: null, paid: null, voided: null, overdue: null },
	answerPage: {
		invoiceCreatedTitle: null,
		invoiceCreatedMessage: [
			['RE-2026-0042', 'Eva Roth', true, false],
			[undefined, 'Eva Roth', false, false],
			[undefined, 'Eva Roth', false, true],
		],
		invoiceCreatedLinkText: null,
		invoiceFailedTitle: null,
		unknownError: null,
		invoiceFailedMessage: [
			['refused', 'hint', '881', 'Create invoice', NO_CHANGES],
			['refused', undefined, '881', 'Create invoice', NO_CHANGES],
			[
				'refused',
				undefined,
				'881',
				'Create invoice',
				{ ...NO_CHANGES, contactName: 'Eva Roth', contactCreated: true, linkStored: true },
			],
			[
				'refused',
				undefined,
				'881',
				'Create invoice',
				{ ...NO_CHANGES, contactName: 'Eva Roth', contactCreated: true, recordClaimed: true },
			],
			['refused', undefined, '881', 'Create invoice', { ...NO_CHANGES, contactName: 'Eva Roth', linkStored: true }],
		],
		clickInProgressMessage: [['881', 'Create invoice']],
	},
};

export function textsOf(texts: UserTexts): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (value: unknown, samples: unknown, path: string) => {
		if (typeof value === 'string') out.set(path, value);
		else if (typeof value === 'function')
			for (const [index, args] of (samples as unknown[][]).entries())
				out.set(`${path}(${index})`, (value as (...args: unknown[]) => string)(...args));
		else
			for (const [key, inner] of Object.entries(value as object))
				walk(inner, (samples as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
	};
	walk(texts, SAMPLES, '');
	return out;
}
