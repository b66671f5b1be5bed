/**
 * Work that must not interleave with other work on the same keys (e.g. the lookup and the write
 * of one LexOffice contact), across all executions of this n8n process: module state is shared by
 * every execution of the process. It does not reach other processes (queue-mode workers).
 */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` once no earlier holder of any of `keys` is still running, and holds the keys until
 * it ends (also when it fails). All keys are claimed in one synchronous step, so holders of
 * overlapping key sets are ordered by arrival and can never wait for each other in a circle.
 */
export async function withKeyLock<T>(keys: string[], work: () => Promise<T>): Promise<T> {
	let release!: () => void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	const unique = [...new Set(keys)];
	const before = unique.map((key) => tails.get(key));
	for (const key of unique) tails.set(key, mine);
	try {
		await Promise.all(before);
		return await work();
	} finally {
		release();
		for (const key of unique) if (tails.get(key) === mine) tails.delete(key);
	}
}

/** How many keys are held or awaited right now (for tests: nothing may stay behind). */
export function heldKeyCount(): number {
	return tails.size;
}
