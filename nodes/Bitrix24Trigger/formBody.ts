import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * Bitrix24 posts events, placement calls and the install callback as
 * `application/x-www-form-urlencoded` with PHP-style bracketed keys (`data[FIELDS][ID]=5`,
 * `auth[application_token]=…`, bitrix24-api.md §10).
 *
 * n8n 2.41 parses such bodies with Node's `querystring`, which leaves the keys flat
 * (`{"data[FIELDS][ID]": "5"}`); other versions or a JSON body give nested objects. Both shapes
 * (and a mix) end up as the nested object PHP's `$_POST` would hold.
 */

/** Keys that would reach Object.prototype if used as a path segment. */
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

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

function assignPath(target: IDataObject, path: string[], value: unknown): void {
	if (path.some((segment) => UNSAFE_SEGMENTS.has(segment))) return;
	let node = target;
	path.forEach((rawSegment, index) => {
		// `a[]=x&a[]=y` appends, as PHP does.
		const segment = rawSegment === '' ? String(Object.keys(node).length) : rawSegment;
		if (index === path.length - 1) {
			node[segment] = isPlainObject(value) && isPlainObject(node[segment]) ? mergeInto(node[segment] as IDataObject, value) : (value as IDataObject[string]);
			return;
		}
		if (!isPlainObject(node[segment])) node[segment] = {};
		node = node[segment] as IDataObject;
	});
}

function mergeInto(target: IDataObject, source: IDataObject): IDataObject {
	for (const [key, value] of Object.entries(source)) {
		const path = keyPath(key);
		// `querystring` gathers repeated `a[]` keys into one array; PHP appends each value.
		if (Array.isArray(value) && path[path.length - 1] === '') {
			for (const element of value) assignPath(target, path, element);
			continue;
		}
		assignPath(target, path, isPlainObject(value) ? nestBracketedKeys(value) : value);
	}
	return target;
}

/** Nested object from flat bracketed keys, nested objects, or a mix of both. */
export function nestBracketedKeys(body: IDataObject): IDataObject {
	return mergeInto({}, body);
}

/** Parses raw form bytes the way PHP does (repeated plain keys: the last one wins). */
export function parseFormEncoded(text: string): IDataObject {
	const target: IDataObject = {};
	for (const [key, value] of new URLSearchParams(text)) assignPath(target, keyPath(key), value);
	return target;
}

function parseJsonObject(text: string): IDataObject {
	try {
		const parsed = JSON.parse(text) as unknown;
		return isPlainObject(parsed) ? nestBracketedKeys(parsed) : {};
	} catch {
		return {};
	}
}

/**
 * The request body as a nested object. Falls back to the raw bytes when n8n left the body
 * unparsed (a content type it does not parse, e.g. a missing or unusual `Content-Type`).
 */
export async function readFormBody(context: IWebhookFunctions): Promise<IDataObject> {
	const body = context.getBodyData() as unknown;
	if (isPlainObject(body) && Object.keys(body).length > 0) return nestBracketedKeys(body);
	const request = context.getRequestObject();
	if (!request.rawBody && typeof request.readRawBody === 'function') await request.readRawBody();
	const raw = request.rawBody ? request.rawBody.toString('utf8') : typeof body === 'string' ? body : '';
	return raw.trimStart().startsWith('{') ? parseJsonObject(raw) : parseFormEncoded(raw);
}
