/** One API call as the sandbox saw it. `status` 0 = the connection was dropped without an answer. */
export interface RequestLogEntry {
	at: number;
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
	label?: string;
	/** Set when fault injection decided the answer ('injected' | 'dropped'), so tests can tell them apart. */
	fault?: 'injected' | 'dropped';
	/** true when the request changed state before a fault was delivered (FailNextRule.afterProcessing). */
	processed?: boolean;
}

export type RequestFilter = Partial<Pick<RequestLogEntry, 'method' | 'status' | 'label' | 'fault'>> & {
	pathIncludes?: string;
	since?: number;
};

/** Every API call a sandbox answered (control-API calls are not logged). Tests assert on it instead of wall time. */
export class RequestLog {
	readonly entries: RequestLogEntry[] = [];

	add(entry: RequestLogEntry): void {
		this.entries.push(entry);
	}

	filter(filter: RequestFilter = {}): RequestLogEntry[] {
		return this.entries.filter(
			(entry) =>
				(filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
				(filter.status === undefined || entry.status === filter.status) &&
				(filter.label === undefined || entry.label === filter.label) &&
				(filter.fault === undefined || entry.fault === filter.fault) &&
				(filter.pathIncludes === undefined || entry.path.includes(filter.pathIncludes)) &&
				(filter.since === undefined || entry.at >= filter.since),
		);
	}

	count(filter: RequestFilter = {}): number {
		return this.filter(filter).length;
	}

	last(): RequestLogEntry | undefined {
		return this.entries[this.entries.length - 1];
	}

	clear(): void {
		this.entries.length = 0;
	}
}
