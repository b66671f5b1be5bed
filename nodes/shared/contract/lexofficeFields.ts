/** What a LexOffice contact may hold (lexoffice-api.md §3.3, §3.4), for both directions of the mapping. */

export const EMAIL_KINDS = ['business', 'office', 'private', 'other'] as const;
export const PHONE_KINDS = ['business', 'office', 'mobile', 'private', 'fax', 'other'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export type PhoneKind = (typeof PHONE_KINDS)[number];

/** §3.3 length limits. */
export const SALUTATION_MAX = 25;
export const NOTE_MAX = 1000;

/** What LexOffice accepts as an e-mail address, roughly: it refuses obviously broken ones (§3.4). */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
