/**
 * Reads that stay true for one execution (a portal's field lists, its requisite templates, the
 * responsible user), made once per execution and account. A node in a loop — the contacts
 * import's page loop — runs many times in one execution, each run with a new context object, so
 * a cache keyed by the context would read again on every page; this one is keyed by the
 * execution id and the account.
 *
 * Module state is shared by every execution of this n8n process, so it is bounded: it keeps the
 * reads of the last EXECUTIONS_KEPT (execution, account) pairs, the one used longest ago leaves
 * first. An evicted pair, or another process (a queue-mode worker), only reads again. A context
 * without an execution id (load options) keeps its reads for itself.
 */
export const EXECUTIONS_KEPT = 16;

type Reads = Map<string, Promise<unknown>>;

const byExecution = new Map<string, Reads>();
const byContext = new WeakMap<object, Map<string, Reads>>();

/** What the cache needs of an n8n context (every context has getExecutionId; load options return none). */
export interface ExecutionScoped {
	getExecutionId(): string | undefined;
}

function readsOf(context: ExecutionScoped, account: string): Reads {
	const executionId = context.getExecutionId();
	if (typeof executionId !== 'string' || executionId === '') {
		let perAccount = byContext.get(context);
		if (!perAccount) byContext.set(context, (perAccount = new Map()));
		let reads = perAccount.get(account);
		if (!reads) perAccount.set(account, (reads = new Map()));
		return reads;
	}
	const key = JSON.stringify([executionId, account]);
	let reads = byExecution.get(key);
	if (reads) byExecution.delete(key);
	else reads = new Map();
	byExecution.set(key, reads);
	for (const oldest of byExecution.keys()) {
		if (byExecution.size <= EXECUTIONS_KEPT) break;
		byExecution.delete(oldest);
	}
	return reads;
}

/**
 * `read()`'s answer, read at most once per execution and account (while kept). `account` names
 * the credential and the account behind it without any secret; different accounts never share a
 * read. A read that fails is forgotten, so the next caller tries again.
 */
export async function oncePerExecution<T>(
	context: ExecutionScoped,
	account: string,
	name: string,
	read: () => Promise<T>,
): Promise<T> {
	const reads = readsOf(context, account);
	let pending = reads.get(name) as Promise<T> | undefined;
	if (!pending) {
		pending = read();
		reads.set(name, pending);
		const mine = pending;
		pending.catch(() => {
			if (reads.get(name) === mine) reads.delete(name);
		});
	}
	return await pending;
}

/** How many (execution, account) pairs are kept right now (for tests: the cache stays bounded). */
export function keptExecutionCount(): number {
	return byExecution.size;
}
