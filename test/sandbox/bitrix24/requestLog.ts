import { RequestLog, type ApiRequest, type RequestLogEntry } from '../common';

/** What the Bitrix24 sandbox adds to each logged HTTP request. */
export interface Bitrix24RequestDetails {
	/** How the parameters arrived: a JSON body, a form body, or only the query string (GET). */
	transport: 'json' | 'form' | 'query' | 'other';
	auth: 'webhook' | 'oauth' | 'none';
	/** Number of commands when the call was `batch`. */
	batchCommands?: number;
	/** The methods inside a batch, in order. */
	batchMethods?: string[];
}

export type Bitrix24RequestLogEntry = RequestLogEntry & Partial<Bitrix24RequestDetails>;

/**
 * The common RequestLog, plus per-request details. common's server builds the log entry itself
 * (from the ApiResponse), so details are attached by request identity: the entry carries the very
 * `query` object of the ApiRequest, which keys a WeakMap here. (A `details` field on common's
 * ApiResponse would make this unnecessary.)
 */
export class Bitrix24RequestLog extends RequestLog {
	private readonly details = new WeakMap<object, Bitrix24RequestDetails>();

	note(request: ApiRequest, details: Bitrix24RequestDetails): void {
		this.details.set(request.query, details);
	}

	add(entry: RequestLogEntry): void {
		super.add({ ...entry, ...this.details.get(entry.query) });
	}

	/** All entries with their Bitrix24 details, typed. */
	calls(): Bitrix24RequestLogEntry[] {
		return this.entries;
	}
}
