import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { LEXOFFICE_CREDENTIAL_TYPE, type LexofficeCredentials } from '../Lexoffice/transport/request';
import { deliveryMemory, isFirstDelivery } from './deduplication';
import { buildEventItem } from './eventItem';
import { isOwnOrganization, type OrganizationStaticData } from './organization';
import { parseWebhookPayload, type WebhookPayload } from './payload';
import { isValidSignature, SIGNATURE_HEADER, webhookPublicKey } from './signature';

/** LexOffice retries for up to ~2 days (lexoffice-api.md §6.5); remember deliveries that long. */
export const DEDUPLICATION = { windowMs: 48 * 60 * 60 * 1000, maxEntries: 1000 };

export interface DeliveryOptions {
	events: string[];
	fetchResource: boolean;
	deduplicate: boolean;
}

/** Answers the request now and starts no execution. */
function answer(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer> {
	const request = context.getRequestObject();
	if (!request.rawBody && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * One webhook delivery: verify, then acknowledge, then build the item. Verification comes first
 * and rejects with no execution: 401 for a bad signature, 400 for a bad or foreign payload. The
 * acknowledgement is sent before the resource is fetched because LexOffice gives up reading the
 * answer after 5 s (§6.5).
 */
export async function handleDelivery(this: IWebhookFunctions, options: DeliveryOptions): Promise<IWebhookResponseData> {
	const credentials = await this.getCredentials<LexofficeCredentials>(LEXOFFICE_CREDENTIAL_TYPE);
	const rawBody = await rawBodyOf(this);
	let key;
	try {
		key = webhookPublicKey(credentials.webhookPublicKey);
	} catch {
		// Our configuration, not LexOffice's fault: 5xx makes LexOffice retry once it is fixed.
		return answer(this, 500, 'The webhook public key in the LexOffice credential is invalid');
	}
	if (!isValidSignature(rawBody, this.getHeaderData()[SIGNATURE_HEADER], key)) {
		return answer(this, 401, 'Invalid or missing X-Lxo-Signature');
	}

	const parsed = parseWebhookPayload(rawBody);
	if ('problem' in parsed) return answer(this, 400, `Invalid LexOffice event: ${parsed.problem}`);
	const payload: WebhookPayload = parsed.payload;

	try {
		const staticData = this.getWorkflowStaticData('node') as OrganizationStaticData;
		if (!(await isOwnOrganization.call(this, payload.organizationId, credentials, staticData))) {
			return answer(this, 400, 'The event belongs to another LexOffice organization than the credential');
		}
	} catch {
		// Could not ask LexOffice who we are; a 5xx makes it deliver again later (§6.5).
		return answer(this, 503, 'Could not verify the organization with LexOffice; try again later');
	}

	// A subscription for an event this node no longer listens to: accept it so it is not retried.
	if (!options.events.includes(payload.eventType)) return answer(this, 200, 'Event type not selected; ignored');

	if (options.deduplicate) {
		const memory = deliveryMemory(`${this.getWorkflow().id ?? ''} ${this.getNode().id}`);
		const parts = [payload.eventType, payload.resourceId, payload.eventDate];
		if (!isFirstDelivery(memory, parts, Date.now(), DEDUPLICATION)) return answer(this, 200, 'Duplicate delivery; ignored');
	}

	this.getResponseObject().status(200).json({ message: 'Event received' });
	const item: IDataObject = await buildEventItem.call(this, payload, {
		fetch: options.fetchResource,
		appUrl: credentials.appUrl,
	});
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}
