import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeCredentials } from '../Lexoffice/transport/request';
import { deliveryMemory, isFirstDelivery, persist } from './deduplication';
import { eventItem } from '../Lexoffice/helpers/eventItem';
import { confirmOrganization, organizationVerdict, type OrganizationStaticData } from './organization';
import { parseWebhookPayload, type WebhookPayload } from './payload';
import { isValidSignature, SIGNATURE_HEADER, webhookPublicKey } from './signature';

/** LexOffice retries for up to ~2 days (lexoffice-api.md §6.5); remember deliveries that long. */
export const DEDUPLICATION = { windowMs: 48 * 60 * 60 * 1000, maxEntries: 2000 };

export interface DeliveryOptions {
	events: string[];
	deduplicate: boolean;
}

/** Answers the request now and starts no execution. */
function answer(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

async function rawBodyOf(this: IWebhookFunctions): Promise<Buffer> {
	const request = this.getRequestObject();
	if (!request.rawBody && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * One webhook delivery. Everything before the answer works without a request, so every delivery
 * is answered at once however many arrive (LexOffice waits 5 s, §6.5; issue #15): the signature
 * over the raw body, the payload's shape, the organization against the id known from activation,
 * the replay check. Refusals start no execution: 401 bad signature, 400 bad or foreign payload.
 * An organization that is not the known one is confirmed after the answer; the resource is loaded
 * in the execution. Nothing that needs LexOffice turns a valid delivery into an error answer.
 */
export async function handleDelivery(this: IWebhookFunctions, options: DeliveryOptions): Promise<IWebhookResponseData> {
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const rawBody = await rawBodyOf.call(this);
	let key;
	try {
		key = webhookPublicKey(credentials.webhookPublicKey);
	} catch {
		// Our configuration, not LexOffice's fault: 5xx makes LexOffice retry once it is fixed.
		return answer.call(this, 500, 'The webhook public key in the LexOffice credential is invalid');
	}
	if (!isValidSignature(rawBody, this.getHeaderData()[SIGNATURE_HEADER], key)) {
		return answer.call(this, 401, 'Invalid or missing X-Lxo-Signature');
	}

	const parsed = parseWebhookPayload(rawBody);
	if ('problem' in parsed) return answer.call(this, 400, `Invalid LexOffice event: ${parsed.problem}`);
	const payload: WebhookPayload = parsed.payload;

	// A subscription for an event this node no longer listens to: accept it so it is not retried.
	if (!options.events.includes(payload.eventType)) return answer.call(this, 200, 'Event type not selected; ignored');

	const organizationData = this.getWorkflowStaticData('node') as OrganizationStaticData;
	const verdict = organizationVerdict(payload.organizationId, credentials, organizationData, Date.now());
	// 400: LexOffice does not retry it (§6.5).
	if (verdict === 'foreign')
		return answer.call(this, 400, 'The event belongs to another LexOffice organization than the credential');

	if (options.deduplicate) {
		const seen = this.getWorkflowStaticData('global');
		const memory = deliveryMemory(this.getWorkflow().id ?? '', seen);
		const parts = [this.getNode().id, payload.eventType, payload.resourceId, payload.eventDate];
		if (!isFirstDelivery(memory, parts, Date.now(), DEDUPLICATION))
			return answer.call(this, 200, 'Duplicate delivery; ignored');
		persist(memory, seen);
	}

	this.getResponseObject().status(200).json({ message: 'Event received' });
	if (
		verdict === 'unknown' &&
		!(await confirmOrganization.call(this, payload.organizationId, credentials, organizationData, Date.now()))
	) {
		this.logger.warn(
			'LexOffice Trigger: ignored a signed event of another LexOffice organization (or the profile could not be read)',
			{
				eventType: payload.eventType,
			},
		);
		return { noWebhookResponse: true };
	}
	// The resource is loaded inside the execution (LexOffice node, Event → Get Resource): n8n holds
	// resources for a webhook request until webhook() returns, so it must return at once.
	return { noWebhookResponse: true, workflowData: [[{ json: eventItem(payload, credentials.appUrl) }]] };
}
