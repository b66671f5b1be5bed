import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * Bitrix24 posts events, placement calls and the install callback as
 * `application/x-www-form-urlencoded` with PHP-style bracketed keys (`data[FIELDS][ID]=5`,
 * `auth[application_token]=…`, bitrix24-api.md §10).
 *
 * The trigger's URL is public, so a body is read in two steps that both cost time linear in its
 * size and stop at fixed limits (docs/security.md): `readCallerBody` checks the size of the raw
 * bytes and the number of keys and splits them into pairs; the caller checks the token with
 * `presentedValue` on those pairs; only then does `nestCallerBody` build the nested object PHP's
 * `$_POST` would hold, refusing bodies nested deeper than the limit.
 */

export interface BodyLimits {
	/** Raw bytes; a Bitrix24 event or placement call is about 1–2 KB. */
	maxBytes: number;
	/** Keys (form pairs, or JSON object entries and array elements) in the whole body. */
	maxKeys: number;
	/** Segments of one key path (`data[FIELDS][ID]` has 3). */
	maxDepth: number;
}

export const CALLER_BODY_LIMITS: Readonly<BodyLimits> = { maxBytes: 64 * 1024, maxKeys: 1000, maxDepth: 8 };

export interface BodyRefusal {
	status: 400 | 413;
	reason: string;
}

/** The body split into keys and values, not yet nested: form pairs, or a JSON / n8n-parsed object. */
export type CallerBody = { kind: 'form'; pairs: Array<[string, string]> } | { kind: 'object'; value: IDataObject };

/** Keys that would reach Object.prototype if used as a path segment. */
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function isBodyRefusal(value: unknown): value is BodyRefusal {
	return typeof value === 'object' && value !== null && 'status' in value && 'reason' in value;
}

/** `data[FIELDS][ID]` → `['data', 'FIELDS', 'ID']`; `a[]` → `['a', '']`; no brackets → `[key]`. */
export function keyPath(key: string): string[] {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
	if (!match) return [key];
	const rest = [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((segment) => segment[1]);
	return [match[1], ...rest];
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested part of a parsed body, or an empty object when it is missing or not an object. */
export function objectAt(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

/** Form values are strings; a repeated key arrives as an array (the last one counts, as in PHP). */
export function formText(value: unknown): string {
	const last = Array.isArray(value) ? (value[value.length - 1] as unknown) : value;
	return typeof last === 'string' || typeof last === 'number' ? String(last) : '';
}

const tooManyKeys = (limits: BodyLimits): BodyRefusal => ({
	status: 400,
	reason: `The request has more than ${limits.maxKeys} keys`,
});

/** Splits form bytes into pairs; the key count is checked before any pair is decoded. */
export function splitFormPairs(text: string, limits: BodyLimits = CALLER_BODY_LIMITS): CallerBody | BodyRefusal {
	let separators = 0;
	for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) {
		if (++separators >= limits.maxKeys) return tooManyKeys(limits);
	}
	return { kind: 'form', pairs: [...new URLSearchParams(text)] };
}

function parseJsonBody(text: string): CallerBody | BodyRefusal {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { status: 400, reason: 'The request body is not valid JSON' };
	}
	return { kind: 'object', value: isPlainObject(parsed) ? parsed : {} };
}

/**
 * The request body as pairs or an object, or why it is refused. Reads the raw bytes n8n keeps
 * (`rawBody`), so size and shape are judged on what was sent, whatever n8n made of it.
 */
export async function readCallerBody(
	this: IWebhookFunctions,
	limits: BodyLimits = CALLER_BODY_LIMITS,
): Promise<CallerBody | BodyRefusal> {
	const request = this.getRequestObject();
	if (!request.rawBody && typeof request.readRawBody === 'function') await request.readRawBody();
	const raw = request.rawBody;
	if (!raw) {
		const body = this.getBodyData() as unknown;
		return typeof body === 'string' ? readCallerText(body, limits) : { kind: 'object', value: objectAt(body) };
	}
	if (raw.length > limits.maxBytes) {
		return { status: 413, reason: `The request body is larger than ${limits.maxBytes} bytes` };
	}
	return readCallerText(raw.toString('utf8'), limits);
}

/** A body's text: JSON when it looks like an object, form-encoded otherwise (any Content-Type). */
export function readCallerText(text: string, limits: BodyLimits = CALLER_BODY_LIMITS): CallerBody | BodyRefusal {
	if (text.length > limits.maxBytes) {
		return { status: 413, reason: `The request body is larger than ${limits.maxBytes} bytes` };
	}
	return text.trimStart().startsWith('{') ? parseJsonBody(text) : splitFormPairs(text, limits);
}

/**
 * One value by its form name (`auth[application_token]`, `APPLICATION_TOKEN`), read without
 * nesting the body: the pairs are scanned once; an object is looked up key by key.
 */
export function presentedValue(body: CallerBody, name: string): string {
	if (body.kind === 'form') {
		let found = '';
		for (const [key, value] of body.pairs) if (key === name) found = value;
		return found;
	}
	if (Object.prototype.hasOwnProperty.call(body.value, name)) return formText(body.value[name]);
	let node: unknown = body.value;
	for (const segment of keyPath(name)) {
		if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, segment)) return '';
		node = node[segment];
	}
	return formText(node);
}

/** Builds the nested object with PHP's rules; `a[]` appends in constant time per key. */
class NestedBuilder {
	readonly target: IDataObject = {};

	/** Per object: the next index `[]` gets (PHP: the largest integer key plus one). */
	private readonly nextIndex = new Map<IDataObject, number>();

	private keys = 0;

	constructor(private readonly limits: BodyLimits) {}

	/** Counts keys against the limit; false when the body has too many. */
	count(keys = 1): boolean {
		this.keys += keys;
		return this.keys <= this.limits.maxKeys;
	}

	private noteIndex(node: IDataObject, segment: string): void {
		if (!/^\d{1,9}$/.test(segment)) return;
		const next = Number(segment) + 1;
		if (next > (this.nextIndex.get(node) ?? 0)) this.nextIndex.set(node, next);
	}

	/**
	 * Sets the value at the path and returns the path with every `[]` resolved to its index, or
	 * undefined for a path that would reach Object.prototype. An object value merges into an
	 * object already there.
	 */
	assign(path: string[], value: unknown): string[] | undefined {
		if (path.some((segment) => UNSAFE_SEGMENTS.has(segment))) return undefined;
		let node = this.target;
		const concrete: string[] = [];
		path.forEach((rawSegment, index) => {
			// `a[]=x&a[]=y` appends, as PHP does.
			const segment = rawSegment === '' ? String(this.nextIndex.get(node) ?? 0) : rawSegment;
			concrete.push(segment);
			this.noteIndex(node, segment);
			if (index === path.length - 1) {
				if (!(isPlainObject(value) && isPlainObject(node[segment]))) node[segment] = value as IDataObject[string];
				return;
			}
			if (!isPlainObject(node[segment])) node[segment] = {};
			node = node[segment] as IDataObject;
		});
		return concrete;
	}
}

const tooDeep = (limits: BodyLimits): BodyRefusal => ({
	status: 400,
	reason: `The request nests keys deeper than ${limits.maxDepth} levels`,
});

function nestPairs(pairs: Array<[string, string]>, limits: BodyLimits): IDataObject | BodyRefusal {
	const builder = new NestedBuilder(limits);
	for (const [key, value] of pairs) {
		if (!builder.count()) return tooManyKeys(limits);
		const path = keyPath(key);
		if (path.length > limits.maxDepth) return tooDeep(limits);
		builder.assign(path, value);
	}
	return builder.target;
}

/**
 * Flat bracketed keys (as n8n's `querystring` leaves them), nested objects (JSON) or a mix, walked
 * breadth-first without recursion: every key and array element counts against the limits.
 */
function nestObject(root: IDataObject, limits: BodyLimits): IDataObject | BodyRefusal {
	const builder = new NestedBuilder(limits);
	const pending: Array<{ prefix: string[]; value: IDataObject | unknown[] }> = [{ prefix: [], value: root }];
	for (let cursor = 0; cursor < pending.length; cursor++) {
		const { prefix, value } = pending[cursor];
		// An array's elements append to its key (`a[]`), as PHP does with repeated form keys.
		const entries: Array<[string | undefined, unknown]> = Array.isArray(value)
			? value.map((element) => [undefined, element])
			: Object.entries(value);
		for (const [key, element] of entries) {
			if (!builder.count()) return tooManyKeys(limits);
			const path = key === undefined ? [...prefix, ''] : [...prefix, ...keyPath(key)];
			if (path.length > limits.maxDepth) return tooDeep(limits);
			const appends = path[path.length - 1] === '';
			const values = Array.isArray(element) && element.every((entry) => typeof entry !== 'object' || entry === null);
			if (Array.isArray(element) && (appends || !values)) {
				pending.push({ prefix: appends ? path.slice(0, -1) : path, value: element });
				continue;
			}
			if (isPlainObject(element) && Object.keys(element).length > 0) {
				const concrete = builder.assign(path, {});
				if (concrete) pending.push({ prefix: concrete, value: element });
				continue;
			}
			// A repeated plain key (`querystring` gives ['x', 'y']) stays an array: the last one counts.
			if (Array.isArray(element) && !builder.count(element.length)) return tooManyKeys(limits);
			builder.assign(path, element);
		}
	}
	return builder.target;
}

/** The nested object PHP's `$_POST` would hold, or why the body is refused. */
export function nestCallerBody(body: CallerBody, limits: BodyLimits = CALLER_BODY_LIMITS): IDataObject | BodyRefusal {
	return body.kind === 'form' ? nestPairs(body.pairs, limits) : nestObject(body.value, limits);
}

function orThrow(result: IDataObject | BodyRefusal): IDataObject {
	if (isBodyRefusal(result)) throw new Error(result.reason);
	return result;
}

/** Nested object from flat bracketed keys, nested objects, or a mix of both. */
export function nestBracketedKeys(body: IDataObject, limits: BodyLimits = CALLER_BODY_LIMITS): IDataObject {
	return orThrow(nestObject(body, limits));
}

/** Parses raw form bytes the way PHP does (repeated plain keys: the last one wins). */
export function parseFormEncoded(text: string, limits: BodyLimits = CALLER_BODY_LIMITS): IDataObject {
	const pairs = splitFormPairs(text, limits);
	return orThrow(isBodyRefusal(pairs) ? pairs : nestCallerBody(pairs, limits));
}
