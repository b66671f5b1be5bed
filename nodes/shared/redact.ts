/**
 * The one place that takes secrets out of text that leaves a transport (error messages and
 * descriptions, error bodies kept for the user). APIs echo what they were sent — LexOffice's 403
 * for a malformed Authorization header repeats `Bearer <key>` (lexoffice-api.md §1.2) — so every
 * text built from an answer goes through here, whatever the API put into it.
 */

export const REDACTED = '***';

/** Shorter strings would blank out ordinary words; real keys and tokens are far longer. */
const MIN_SECRET_LENGTH = 6;

/**
 * Secret-shaped text even when the exact secret is not known to us (a token n8n refreshed in
 * the middle of a request, a key of another credential): bearer tokens and the secret segment
 * of a Bitrix24 webhook URL (`/rest/<user id>/<secret>/`, bitrix24-api.md §1.1).
 */
const SECRET_SHAPES: Array<[RegExp, string]> = [
	[/(Bearer\s+)[^\s'",;)}\]]+/gi, `$1${REDACTED}`],
	[/(\/rest\/(?:api\/)?\d+\/)[A-Za-z0-9_-]{6,}(?=\/|$|[\s'",])/g, `$1${REDACTED}`],
];

/** The forms a secret takes when an API echoes it: as sent, URL-encoded, JSON-escaped. */
function variants(secret: string): string[] {
	return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

/** Replaces every secret (longest first, so overlapping ones vanish whole) and secret-shaped text. */
export function redact(text: string, secrets: readonly unknown[]): string {
	const known = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
		.flatMap(variants)
		.sort((a, b) => b.length - a.length);
	const withoutKnown = known.reduce((current, secret) => current.split(secret).join(REDACTED), text);
	return SECRET_SHAPES.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), withoutKnown);
}
