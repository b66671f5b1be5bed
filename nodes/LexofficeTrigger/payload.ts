import { DateTime } from 'luxon';
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The callback body (lexoffice-api.md §6.3): exactly these four fields, no resource data. Fields
 * LexOffice may add later are dropped rather than rejected. Ids are checked as 8-4-4-4-12 hex
 * without RFC version bits: LexOffice's own sample id (`…-fd4b-…`) has none.
 */
export const webhookPayloadSchema = z.object({
	organizationId: z.string().regex(UUID, 'must be a UUID'),
	eventType: z.string().regex(/^[a-z-]+(\.[a-z]+)+$/, 'must be a LexOffice event type'),
	resourceId: z.string().regex(UUID, 'must be a UUID'),
	eventDate: z.string().refine((value) => DateTime.fromISO(value).isValid, 'must be an ISO 8601 timestamp'),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Parses and validates the raw body; returns the problem as text instead of throwing. */
export function parseWebhookPayload(rawBody: Buffer): { payload: WebhookPayload } | { problem: string } {
	let json: unknown;
	try {
		json = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { problem: 'body is not JSON' };
	}
	const result = webhookPayloadSchema.safeParse(json);
	if (result.success) return { payload: result.data };
	const issues = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
	return { problem: issues.join('; ') };
}
