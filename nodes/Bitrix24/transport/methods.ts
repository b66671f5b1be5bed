/**
 * What the transport needs to know about a method from its name alone.
 */

/**
 * Families that only work in application (OAuth) context; an incoming webhook gets WRONG_AUTH_TYPE,
 * ACCESS_DENIED "Application context required" or ERROR_WRONG_CONTEXT (bitrix24-api.md §0.1, §1.1,
 * §8, §9, §10). `crm.automation.trigger` itself (the UI-configured webhook trigger) works with
 * webhooks, its `.add/.list/.execute/.delete` siblings do not.
 */
const APPLICATION_CONTEXT_PREFIXES = [
	'placement.',
	'event.',
	'crm.automation.trigger.',
	'bizproc.robot.',
	'bizproc.activity.',
	'crm.activity.configurable.',
	'crm.timeline.layout.blocks.',
	'userfieldtype.',
	'app.option.',
];

export function requiresApplicationContext(method: string): boolean {
	const name = method.toLowerCase();
	return APPLICATION_CONTEXT_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Read-only methods outside the `*.get/*.list/*.fields` naming pattern. */
const READ_METHODS = new Set([
	'profile',
	'scope',
	'methods',
	'method.get',
	'server.time',
	'app.info',
	'feature.get',
	'user.current',
	'user.search',
	'crm.duplicate.findbycomm',
	'crm.status.entity.types',
	'crm.status.entity.items',
	'crm.requisite.preset.countries',
]);
const READ_SUFFIXES = ['.get', '.list', '.fields', '.getlist', '.items.get'];
/** Named like reads but not reads: `event.offline.get` dequeues events by default (§10). */
const NOT_READ_METHODS = new Set(['event.offline.get']);

/**
 * Read methods change nothing, so repeating one after a 5xx or a dropped connection is safe.
 * Anything else may have been performed before the failure and is never repeated (ARCHITECTURE.md
 * "Retries").
 */
export function isReadMethod(method: string): boolean {
	const name = method.toLowerCase();
	if (NOT_READ_METHODS.has(name)) return false;
	return (
		READ_METHODS.has(name) || name.startsWith('crm.enum.') || READ_SUFFIXES.some((suffix) => name.endsWith(suffix))
	);
}
