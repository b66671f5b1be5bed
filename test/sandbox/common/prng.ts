/**
 * Seeded pseudo-random numbers (mulberry32), so fault rates and seed data are reproducible:
 * the same seed always yields the same sequence.
 */
export interface Random {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max] (both inclusive). */
	int(min: number, max: number): number;
	/** true with the given probability. */
	chance(probability: number): boolean;
	pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (probability) => next() < probability,
		pick: (items) => items[Math.floor(next() * items.length)],
	};
}

/** A uuid v4 drawn from a seeded generator (deterministic ids for seed data). */
export function seededUuid(random: Random): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16));
	hex[12] = '4';
	hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
