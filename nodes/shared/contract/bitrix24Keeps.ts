/**
 * What a Bitrix24 record that already exists keeps when Sync Contacts writes a LexOffice contact to
 * it (issue #13 item 3): its responsible user, its e-mails and phones, its comments. A record the
 * sync creates always gets everything LexOffice has. Pure; table-tested with the planner
 * (test/unit/bitrix24/lexofficeSync/syncContactsPlan.test.ts) and here (test/unit/shared/contract.test.ts).
 */

/** ASSIGNED_BY_ID: only on the records the sync creates, or on every write. */
export type ResponsibleUserPolicy = 'onCreate' | 'always';
/** EMAIL and PHONE: add what Bitrix24 lacks (never delete), or make Bitrix24 hold exactly LexOffice's list. */
export type MultifieldPolicy = 'addMissing' | 'replace';
/** COMMENTS: left as Bitrix24 has them, replaced by LexOffice's, or LexOffice's as a marked block after Bitrix24's own text. */
export type CommentsPolicy = 'keep' | 'overwrite' | 'append';

export interface Bitrix24Keeps {
	responsibleUser: ResponsibleUserPolicy;
	emailsAndPhones: MultifieldPolicy;
	comments: CommentsPolicy;
}

/** Safe for a CRM that holds data of its own: nothing Bitrix24 has is removed or replaced. */
export const DEFAULT_KEEPS: Bitrix24Keeps = {
	responsibleUser: 'onCreate',
	emailsAndPhones: 'addMissing',
	comments: 'keep',
};

/**
 * The marks around LexOffice's part of COMMENTS in 'append' mode. Plain text: COMMENTS renders BB
 * codes (bitrix24-api.md §4.2), and an unknown tag is what an editor is most likely to drop.
 */
export const COMMENTS_BLOCK_START = '--- LexOffice ---';
export const COMMENTS_BLOCK_END = '--- /LexOffice ---';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Every complete block with the blank lines around it; a lone mark (a user deleted the other) is left alone. */
const BLOCKS = new RegExp(`\\s*${escaped(COMMENTS_BLOCK_START)}[\\s\\S]*?${escaped(COMMENTS_BLOCK_END)}\\s*`, 'g');

/** A line that is one of the marks (the way back to LexOffice leaves them out of the note). */
export const isCommentsBlockMark = (line: string): boolean =>
	[COMMENTS_BLOCK_START, COMMENTS_BLOCK_END].includes(line.trim());

/** LexOffice's comments as the marked block; nothing when LexOffice has none. */
export const commentsBlock = (lexoffice: string): string =>
	lexoffice.trim() === '' ? '' : `${COMMENTS_BLOCK_START}\n${lexoffice.trim()}\n${COMMENTS_BLOCK_END}`;

/** Bitrix24's comments without the sync's block(s): the text the users wrote. */
export const withoutCommentsBlock = (current: string): string => current.replace(BLOCKS, '\n\n').trim();

/**
 * Bitrix24's own text, then LexOffice's block: replaces the block an earlier run appended, so
 * running again never appends twice, and a note removed in LexOffice removes the block.
 */
export function appendCommentsBlock(current: string, lexoffice: string): string {
	return [withoutCommentsBlock(current), commentsBlock(lexoffice)].filter(Boolean).join('\n\n');
}

/**
 * The COMMENTS to send for a record, or undefined to leave them as they are. `current` is what
 * Bitrix24 holds, undefined for a record that is created.
 */
export function commentsToWrite(
	policy: CommentsPolicy,
	lexoffice: string,
	current: string | undefined,
): string | undefined {
	if (policy === 'append') {
		const merged = appendCommentsBlock(current ?? '', lexoffice);
		return current !== undefined && merged === current.trim() ? undefined : merged;
	}
	if (current === undefined) return lexoffice === '' ? undefined : lexoffice;
	return policy === 'overwrite' ? lexoffice : undefined;
}
