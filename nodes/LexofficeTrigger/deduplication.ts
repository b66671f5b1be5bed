import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** [key hash, first seen (epoch ms)], oldest first. */
type SeenEntry = [string, number];

export interface DeduplicationLimits {
	windowMs: number;
	maxEntries: number;
}

/** Where the seen deliveries of all LexOffice Triggers of a workflow live in its global static data. */
export const STORE_KEY = 'lexofficeSeenDeliveries';

const memories = new Map<string, IDataObject>();

/**
 * The deliveries a workflow's LexOffice Triggers have seen. The process memory is the truth while
 * n8n runs: concurrent deliveries each hold their own copy of the static data (n8n loads it per
 * request), so only memory sees them all at once. What the static data of this request holds is
 * added to it every time: that is what other processes (queue-mode webhook processors, or this
 * one before a restart) saved, so a replay reaching another process is refused there too once the
 * first one's answer has been saved (persist()).
 */
export function deliveryMemory(workflowId: string, staticData: IDataObject): IDataObject {
	const saved = Array.isArray(staticData[STORE_KEY]) ? (staticData[STORE_KEY] as unknown as SeenEntry[]) : [];
	let memory = memories.get(workflowId);
	if (!memory) {
		memory = { [STORE_KEY]: [...saved] as unknown as IDataObject[] };
		memories.set(workflowId, memory);
		return memory;
	}
	const entries = (memory[STORE_KEY] as unknown as SeenEntry[] | undefined) ?? [];
	const known = new Set(entries.map(([key]) => key));
	const learned = saved.filter((entry) => Array.isArray(entry) && !known.has(entry[0]));
	if (learned.length > 0) {
		// Oldest first, as isFirstDelivery keeps them.
		memory[STORE_KEY] = [...entries, ...learned].sort((a, b) => a[1] - b[1]) as unknown as IDataObject[];
	}
	return memory;
}

/**
 * Copies the whole memory into the static data this request holds; n8n saves static data changed
 * by webhook() once it returns (LiveWebhooks, n8n 2.41). Whichever delivery saves last writes
 * everything this process has seen, so a lost concurrent save loses nothing for long. (Writing
 * less often would lose the end of a burst: without timers nothing writes after the last one.)
 */
export function persist(memory: IDataObject, staticData: IDataObject): void {
	staticData[STORE_KEY] = [...((memory[STORE_KEY] as IDataObject[] | undefined) ?? [])];
}

/** Forgets the process memory (tests: as after a restart). */
export function forgetDeliveries(): void {
	memories.clear();
}

/** 16 base64url chars of SHA-256: short enough to keep hundreds in static data, far from colliding. */
function fingerprint(parts: string[]): string {
	return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 16);
}

/**
 * Records a delivery and says whether it is new. LexOffice signs no timestamp or nonce and retries
 * deliveries it thinks failed (lexoffice-api.md §6.4, §6.5), so the same (eventType, resourceId,
 * eventDate) may arrive more than once. Entries leave the list after `windowMs` or when it is full.
 */
export function isFirstDelivery(
	memory: IDataObject,
	parts: string[],
	nowMs: number,
	limits: DeduplicationLimits,
): boolean {
	const key = fingerprint(parts);
	const stored = Array.isArray(memory[STORE_KEY]) ? (memory[STORE_KEY] as unknown as SeenEntry[]) : [];
	const recent = stored.filter(([, seenAt]) => typeof seenAt === 'number' && nowMs - seenAt < limits.windowMs);
	const seen = recent.some(([storedKey]) => storedKey === key);
	if (!seen) recent.push([key, nowMs]);
	memory[STORE_KEY] = recent.slice(-limits.maxEntries) as unknown as IDataObject[];
	return !seen;
}
