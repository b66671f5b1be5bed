import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** [key hash, first seen (epoch ms)], oldest first; kept in the node's static data. */
type SeenEntry = [string, number];

export interface DeduplicationLimits {
	windowMs: number;
	maxEntries: number;
}

const STORE_KEY = 'recentDeliveries';

const memories = new Map<string, IDataObject>();

/**
 * Where a trigger node remembers deliveries: in this n8n process, not in static data, because
 * n8n reloads static data from the database before a webhook's execution runs
 * (WorkflowRunner.run(…, loadStaticData = true) in n8n 2.41), so webhook() cannot persist it.
 * A restart forgets; with several webhook processes (queue mode) each remembers its own.
 */
export function deliveryMemory(scope: string): IDataObject {
	let memory = memories.get(scope);
	if (!memory) {
		memory = {};
		memories.set(scope, memory);
	}
	return memory;
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
	const stored = Array.isArray(memory[STORE_KEY]) ? (memory[STORE_KEY] as SeenEntry[]) : [];
	const recent = stored.filter(([, seenAt]) => typeof seenAt === 'number' && nowMs - seenAt < limits.windowMs);
	const seen = recent.some(([storedKey]) => storedKey === key);
	if (!seen) recent.push([key, nowMs]);
	memory[STORE_KEY] = recent.slice(-limits.maxEntries) as unknown as IDataObject[];
	return !seen;
}
