import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';
import { z } from 'zod';

import { unexpectedResponseError, type LexofficeContext } from '../transport';

/** POST and PUT answer with an action result `{id, resourceUri, createdDate, updatedDate, version}` (§3.1, §4.2, §6.1). */
const actionResultSchema = z.object({ id: z.string() }).passthrough();

export function parseActionResult(this: LexofficeContext, body: unknown, what: string): IDataObject & { id: string } {
	const result = actionResultSchema.safeParse(body);
	if (!result.success)
		throw unexpectedResponseError(this.getNode(), `the action result of ${what}`, result.error.message);
	return result.data as IDataObject & { id: string };
}

/**
 * Reads a record right after writing it. If that read fails, the write has still happened, so
 * the error says so (with the ID): running the item again would write a second time.
 */
export async function readAfterWrite(
	this: LexofficeContext,
	written: { what: string; id: string; done: 'created' | 'updated' },
	read: () => Promise<IDataObject>,
): Promise<IDataObject> {
	try {
		return await read();
	} catch (error) {
		const message = `The ${written.what} was ${written.done} (ID ${written.id}), but reading it back failed`;
		const reason = error instanceof Error ? `${error.message}\n\n` : '';
		throw new NodeApiError(this.getNode(), { message } as JsonObject, {
			message,
			description: `${reason}Do not run this item again for the same ${written.what}: get the ${written.what} by its ID instead.`,
		});
	}
}
