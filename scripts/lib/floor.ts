/**
 * The fastest any client could send a given number of requests under the published limits.
 * Pure arithmetic on documented numbers; the benchmark divides measured wall time by it.
 */

/** A bucket that starts full: `capacity` requests at once, then one per 1/`perSecond` s. */
export interface BucketLimit {
	capacity: number;
	perSecond: number;
}

/**
 * LexOffice (lexoffice-api.md §2): a token bucket, "up to 2 requests per second" over all
 * endpoints. The burst size is not documented; the sandbox's PUBLISHED_LIMITS models 2.
 * Bitrix24 (bitrix24-api.md §3.1): a leaky bucket per portal, +1 per HTTP request (a batch counts
 * once), draining Y/s, refusing above X; standard plans X = 50, Y = 2. Both behave the same for a
 * client that starts idle: `capacity` requests free, every further one needs 1/perSecond s.
 */
export function bucketFloorSeconds(requests: number, limit: BucketLimit): number {
	return Math.max(0, requests - limit.capacity) / limit.perSecond;
}

/** Time span [first, last] (ms since epoch) in which an API was called. */
export interface CallSpan {
	firstAt: number;
	lastAt: number;
}

/**
 * Floors of two APIs combine by addition only when one API's calls all came before the other's
 * (the import reads every LexOffice contact before Sync Contacts starts writing): then no
 * schedule can overlap the two waits. When the spans overlap, only the larger floor is certain.
 */
export function combinedFloorSeconds(
	a: { floorSeconds: number; span?: CallSpan },
	b: { floorSeconds: number; span?: CallSpan },
): { floorSeconds: number; sequential: boolean } {
	const sequential = !a.span || !b.span || a.span.lastAt <= b.span.firstAt || b.span.lastAt <= a.span.firstAt;
	return {
		floorSeconds: sequential ? a.floorSeconds + b.floorSeconds : Math.max(a.floorSeconds, b.floorSeconds),
		sequential,
	};
}

/**
 * bitrix24-api.md §3.2: each method may use `limitSeconds` (480, the documented example value) of
 * server execution time per `windowSeconds` (600) per webhook. How long a call runs on the
 * server is not documented and the sandbox's own time is not representative, so instead of a
 * floor this gives the break-even: the average server time per call above which this method
 * would have hit the limit at the measured pace (calls in the run spread over `wallSeconds`).
 * Below it, §3.2 adds nothing to the leaky-bucket floor.
 */
export function operatingBreakEvenMs(
	calls: number,
	wallSeconds: number,
	limit = { limitSeconds: 480, windowSeconds: 600 },
): number | undefined {
	if (calls <= 0 || wallSeconds <= 0) return undefined;
	// A 10-minute window at the run's average pace (all calls when the run was shorter than that).
	const callsPerWindow = wallSeconds <= limit.windowSeconds ? calls : (calls * limit.windowSeconds) / wallSeconds;
	return (limit.limitSeconds * 1000) / callsPerWindow;
}

/** lexoffice-api.md §3: GET /v1/contacts pages hold up to 250 contacts. */
export const LEXOFFICE_CONTACT_PAGE = 250;
/** bitrix24-api.md §3.3: one batch request carries up to 50 commands. */
export const BITRIX24_BATCH_SIZE = 50;

/**
 * The fewest requests any import of `contacts` LexOffice contacts into an empty portal needs:
 * every contact page read once, and every Bitrix24 record it ends up with (contacts, companies,
 * requisites, addresses) written by one command, 50 commands per batch request. No lookups, no
 * version stamps: a lower bound no real client reaches, against which the real request count
 * and wall time are judged.
 */
export function minimalImportRequests(
	contacts: number,
	bitrix24Records: number,
): { lexoffice: number; bitrix24: number } {
	return {
		lexoffice: Math.ceil(contacts / LEXOFFICE_CONTACT_PAGE),
		bitrix24: Math.ceil(bitrix24Records / BITRIX24_BATCH_SIZE),
	};
}
