/**
 * How a Bitrix24 record points at the LexOffice contact it came from (bitrix24-api.md §4.2, §4.4):
 * ORIGINATOR_ID is the system code, ORIGIN_ID the LexOffice contact id (or, for a contact person of
 * a LexOffice company, `<company id>:person:<n>`), ORIGIN_VERSION `<LexOffice version>/<mapping
 * fingerprint>`. Written by the Bitrix24 node's sync, read by both nodes. Writers and parsers sit
 * side by side; test/unit/shared/contract.test.ts proves each parser reads what its writer wrote.
 */

/** The system code (ORIGINATOR_ID) every operation offers as its default. */
export const SYSTEM_CODE = 'lexoffice';

/** The fields that hold the link, filled by the operations themselves. */
export const LINK_FIELDS = ['ORIGINATOR_ID', 'ORIGIN_ID', 'ORIGIN_VERSION'] as const;

/** The ORIGIN_ID every contact person of one LexOffice company starts with. */
export const personOriginPrefix = (companyId: string) => `${companyId}:person:`;

/** ORIGIN_ID of the `position`-th (1-based) contact person of a LexOffice company. */
export const personOriginId = (companyId: string, position: number) => `${personOriginPrefix(companyId)}${position}`;

const ORIGIN_ID = /^\s*([^:\s]+)(?::person:(\d+))?\s*$/;

export interface ParsedOriginId {
	/** The LexOffice contact: the contact itself, or the company of a contact person. */
	contactId: string;
	/** The contact person's position, for `<company id>:person:<n>`. */
	person?: number;
}

/** What an ORIGIN_ID written above points at; undefined when it is not one of those forms. */
export function parseOriginId(originId: string): ParsedOriginId | undefined {
	const match = ORIGIN_ID.exec(originId);
	if (!match) return undefined;
	return match[2] === undefined ? { contactId: match[1] } : { contactId: match[1], person: Number(match[2]) };
}

/** Whether a Bitrix24 record links to this LexOffice contact (a contact person's link to its company counts). */
export function linksTo(
	record: { ORIGINATOR_ID?: unknown; ORIGIN_ID?: unknown },
	lexofficeId: string,
	systemCode = SYSTEM_CODE,
): boolean {
	if (record.ORIGINATOR_ID !== systemCode) return false;
	const origin = String(record.ORIGIN_ID ?? '')
		.trim()
		.toLowerCase();
	return origin === lexofficeId || origin.startsWith(personOriginPrefix(lexofficeId));
}

/** ORIGIN_VERSION: the LexOffice version, then the fingerprint of the mapping settings that wrote it. */
export const originVersion = (lexofficeVersion: number | string, mappingFingerprint: string) =>
	`${lexofficeVersion}/${mappingFingerprint}`;

/** The LexOffice version number in an ORIGIN_VERSION (or a bare version); NaN if it has none. */
export const lexofficeVersionOf = (originVersionText: string): number =>
	/^\d+/.test(originVersionText) ? parseInt(originVersionText, 10) : NaN;

/**
 * ORIGIN_ID while one execution finds or creates the LexOffice contact of an unlinked record (the
 * create-invoice button, issue #12): `claim:<expiry, unix seconds>:<token>`. Written by the
 * Bitrix24 node's *Claim Record for Linking* with a compare-and-set, replaced by the contact id
 * when the link is stored. It is no contact id (parseOriginId reads none from it), so every
 * reader treats a claimed record as not linked yet.
 */
const CLAIM = /^claim:(\d{1,12}):([A-Za-z0-9-]{8,64})$/;

export const claimOriginId = (token: string, expiresAtMs: number) => `claim:${Math.ceil(expiresAtMs / 1000)}:${token}`;

/** The claim in an ORIGIN_ID; undefined when it holds none. */
export function parseClaim(originId: unknown): { token: string; expiresAtMs: number } | undefined {
	const match = CLAIM.exec(String(originId ?? '').trim());
	return match ? { token: match[2], expiresAtMs: Number(match[1]) * 1000 } : undefined;
}

/**
 * How the error of *Claim Record for Linking* begins when another execution still holds the
 * record's claim after the wait. n8n hands the node after an error output only the message
 * (`{ error }`), so the create-invoice error page recognises the case by this beginning.
 */
export const CLAIM_HELD_ERROR = 'Another execution is still finding or creating the LexOffice contact';
