/**
 * What this n8n process knows about LexOffice contacts in Bitrix24, so that bursts of events for
 * one contact cost about one sync (issue #15). Pure except for the module-level memory, which is
 * shared by every execution in the process and by no other process.
 *
 * A version is ORIGIN_VERSION's text `<LexOffice version>/<mapping hash>` (nodes/shared/contract/links.ts).
 */
import { lexofficeVersionOf } from '../../../shared/contract/links';

/** The LexOffice version number of a stored or incoming version text; NaN if it has none. */
const versionNumber = lexofficeVersionOf;

/**
 * Whether Bitrix24 already holds a newer LexOffice version than the input: an older snapshot
 * (fetched before a later change, delivered late or replayed) must not overwrite it.
 */
export function isOlderThanStored(incoming: string, stored: string): boolean {
	const incomingNumber = versionNumber(incoming);
	const storedNumber = versionNumber(stored);
	return Number.isFinite(incomingNumber) && Number.isFinite(storedNumber) && storedNumber > incomingNumber;
}

export interface SettledContact {
	/** The version Bitrix24 was seen holding, after a write or a lookup. */
	version: string;
	/** The Bitrix24 company or contact that holds it. */
	id: number;
	at: number;
}

/**
 * How long a seen version is trusted without asking Bitrix24 again. Short: a record deleted by
 * hand in Bitrix24 within this time is re-created by the next change or the nightly
 * reconciliation instead of by an event that repeats what was synced.
 */
export const SETTLED_FOR_MS = 60_000;
const MAX_SETTLED = 10_000;

const settled = new Map<string, SettledContact>();

/** One LexOffice contact on one portal, under one system code: the unit of locking and memory. */
export function contactKey(portalHost: string, systemCode: string, lexofficeId: string): string {
	return `bitrix24-lexoffice-contact ${portalHost} ${systemCode} ${lexofficeId}`;
}

export function rememberSettled(key: string, version: string, id: number, now: number): void {
	settled.delete(key);
	settled.set(key, { version, id, at: now });
	// Oldest first (insertion order): drop the oldest beyond the cap.
	for (const oldest of settled.keys()) {
		if (settled.size <= MAX_SETTLED) break;
		settled.delete(oldest);
	}
}

/**
 * The record that held at least `version` within SETTLED_FOR_MS, if this process saw it: an input
 * that repeats it (or is older) needs no request. A different mapping hash never counts.
 */
export function settledFor(key: string, version: string, now: number): SettledContact | undefined {
	const known = settled.get(key);
	if (!known || now - known.at >= SETTLED_FOR_MS) return undefined;
	const sameMapping = known.version.slice(known.version.indexOf('/')) === version.slice(version.indexOf('/'));
	if (!sameMapping) return undefined;
	return known.version === version || isOlderThanStored(version, known.version) ? known : undefined;
}

/** Forgets everything (tests). */
export function forgetSettled(): void {
	settled.clear();
}
