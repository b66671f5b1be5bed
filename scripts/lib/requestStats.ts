/** What one API saw during a run, from a sandbox's request log. Pure. */
import type { CallSpan } from './floor';

export interface LoggedRequest {
	at: number;
	path: string;
	status: number;
	/** Bitrix24 sandbox: the methods inside a `batch` call. */
	batchMethods?: string[];
}

export interface RequestStats {
	/** HTTP requests that reached the API, refused ones included. */
	sent: number;
	/** Refused by the rate limits (LexOffice 429; Bitrix24 503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT). */
	refused: number;
	/** sent − refused: what the limits had to let through, the count the floor is computed for. */
	accepted: number;
	span?: CallSpan;
	/** Bitrix24: calls per method, batch sub-calls counted individually (the unit of §3.2). */
	callsByMethod: Record<string, number>;
}

const REFUSED_STATUSES = new Set([429, 503]);

/** `/rest/1/<secret>/crm.contact.add.json` → `crm.contact.add` (bitrix24-api.md §1.1). */
export function bitrix24MethodOf(path: string): string {
	const last = path.split('?')[0].split('/').filter(Boolean).pop() ?? '';
	return last.replace(/\.(json|xml)$/, '');
}

export function requestStats(entries: LoggedRequest[], methodOf?: (path: string) => string): RequestStats {
	const stats: RequestStats = { sent: entries.length, refused: 0, accepted: 0, callsByMethod: {} };
	for (const entry of entries) {
		if (REFUSED_STATUSES.has(entry.status)) {
			stats.refused++;
			continue;
		}
		stats.span = {
			firstAt: Math.min(stats.span?.firstAt ?? entry.at, entry.at),
			lastAt: Math.max(stats.span?.lastAt ?? entry.at, entry.at),
		};
		if (!methodOf) continue;
		for (const method of entry.batchMethods ?? [methodOf(entry.path)]) {
			stats.callsByMethod[method] = (stats.callsByMethod[method] ?? 0) + 1;
		}
	}
	stats.accepted = stats.sent - stats.refused;
	return stats;
}

/** The method with the most calls, for the §3.2 break-even. */
export function busiestMethod(stats: RequestStats): { method: string; calls: number } | undefined {
	let busiest: { method: string; calls: number } | undefined;
	for (const [method, calls] of Object.entries(stats.callsByMethod)) {
		if (method !== 'batch' && (!busiest || calls > busiest.calls)) busiest = { method, calls };
	}
	return busiest;
}
