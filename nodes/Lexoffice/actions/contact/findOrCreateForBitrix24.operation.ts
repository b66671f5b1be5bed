import {
	NodeApiError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { contactsWithCustomerNumber, contactsWithEmail, findContacts, getContact } from '../../helpers/contactRequests';
import { contactDisplayName, contactEmails, customerNumber, isObject } from '../../helpers/contacts';
import {
	contactFromBitrix24,
	detectRecordType,
	recordEmails,
	type Bitrix24RecordType,
} from '../../helpers/fromBitrix24';
import { linksTo, parseClaim, parseOriginId, SYSTEM_CODE } from '../../../shared/contract/links';
import type { InputCheck } from '../../helpers/input';
import { parseActionResult, readAfterWrite } from '../../helpers/responses';
import { encodeSearchValue, httpCodeOf, isUncertainWrite, lexofficeRequest } from '../../transport';
import { inputCheck } from '../common';
import type { OperationOption } from '../../../shared/operation';
import { includeArchived, matchOutput } from './find';

/**
 * The LexOffice contact of a Bitrix24 contact or company (the item, as the Bitrix24 node's Get
 * returns it): the linked one, else one with the same e-mail, else one with the customer number,
 * else a new one made from the record. The output says how it was found and whether the link
 * (ORIGINATOR_ID = SYSTEM_CODE, ORIGIN_ID = LexOffice id, nodes/shared/contract/links.ts) must still be written to Bitrix24.
 *
 * Records the contact sync wrote for a LexOffice company's contact persons carry
 * ORIGIN_ID `<company id>:person:<n>`: that is a link to the company, never a contact id.
 */

export type MatchedBy = 'linkedId' | 'email' | 'customerNumber' | 'created' | 'none';

export const option: OperationOption = {
	name: 'Find or Create for Bitrix24 Record',
	value: 'findOrCreateForBitrix24',
	description: 'Find the LexOffice contact of a Bitrix24 contact or company, or create it from the Bitrix24 data',
	action: 'Find or create a contact for a Bitrix24 record',
};

const displayOptions = { show: { resource: ['contact'], operation: ['findOrCreateForBitrix24'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName:
			"Each input item is a Bitrix24 contact or company as the Bitrix24 node's Get returns it. Tried in order: the linked ID, the e-mail addresses, the customer number; then the contact is created.",
		name: 'findOrCreateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Bitrix24 Record Type',
		name: 'recordType',
		type: 'options',
		options: [
			{
				name: 'Detect From the Record',
				value: 'auto',
				description: 'Companies have TITLE, contacts NAME or LAST_NAME',
			},
			{ name: 'Contact', value: 'contact', description: 'Becomes a person in LexOffice' },
			{ name: 'Company', value: 'company', description: 'Becomes a company in LexOffice' },
		],
		default: 'auto',
	},
	{
		displayName: 'Linked LexOffice ID',
		name: 'linkedContactId',
		type: 'string',
		default: `={{ $json.ORIGINATOR_ID === "${SYSTEM_CODE}" ? $json.ORIGIN_ID : "" }}`,
		description:
			'The LexOffice contact the record is linked to; empty when it is not linked. A linked contact that no longer exists in LexOffice is ignored.',
	},
	{
		displayName: 'Customer Number',
		name: 'customerNumber',
		type: 'string',
		default: '',
		placeholder: '10307',
		description: 'LexOffice customer number to look for, e.g. mapped from a Bitrix24 field. Empty skips this rule.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'After an Abandoned Attempt',
				name: 'afterAbandonedAttempt',
				type: 'boolean',
				default: false,
				description:
					'Whether an earlier execution for this record may have created the contact without storing its link (its claim expired, e.g. its n8n worker stopped): before creating, a contact of the same kind, name and e-mail addresses is looked for and used',
			},
			{
				displayName: 'Create If Not Found',
				name: 'createIfNotFound',
				type: 'boolean',
				default: true,
				description:
					'Whether to create the contact (as a customer) from the Bitrix24 data when no rule finds it. Off: the output has matchedBy "none" and no ID.',
			},
			{
				displayName: 'If Several Match',
				name: 'severalMatches',
				type: 'options',
				options: [
					{ name: 'Fail', value: 'error', description: 'Stop with a message that lists the matches' },
					{ name: 'Use First', value: 'first', description: 'Use the first match (by name)' },
				],
				default: 'error',
				description: 'What to do when several LexOffice contacts have the e-mail address or customer number',
			},
			{
				displayName: 'Include Archived',
				name: 'includeArchived',
				type: 'boolean',
				default: true,
				description: 'Whether archived LexOffice contacts count as matches for e-mail and customer number',
			},
			{
				displayName: 'Match by Email',
				name: 'matchByEmail',
				type: 'boolean',
				default: true,
				description: "Whether to look for a LexOffice contact with one of the record's e-mail addresses",
			},
			{
				displayName: 'Salutation',
				name: 'salutation',
				type: 'string',
				default: '',
				description:
					"For a new person, e.g. Frau or Herr (at most 25 characters); Bitrix24's HONORIFIC is a portal-specific ID",
			},
		],
	},
]);

interface Found {
	contact: IDataObject;
	matchedBy: MatchedBy;
	leftOut?: string[];
	/** Created by a POST whose answer was lost, and found again by looking it up. */
	settledByReadBack?: boolean;
}

/**
 * Contacts LexOffice has that this create body would have made: same kind, name and e-mails, found
 * by the name search (§3.2, at least 3 characters). undefined when the name is too short to search.
 */
async function contactsMadeFrom(this: IExecuteFunctions, body: IDataObject): Promise<IDataObject[] | undefined> {
	const name = contactDisplayName(body);
	const searchName = isObject(body.company) ? name : String((body.person as IDataObject | undefined)?.lastName ?? '');
	if (searchName.trim().length < 3) return undefined;
	const emails = contactEmails(body)
		.map((email) => email.toLowerCase())
		.sort()
		.join(' ');
	const kind = isObject(body.company) ? 'company' : 'person';
	const candidates = await findContacts.call(
		this,
		{ name: encodeSearchValue(searchName, { literal: true }) },
		{ includeArchived: false },
	);
	return candidates.filter(
		(contact) =>
			ofKind(kind)(contact) &&
			contactDisplayName(contact) === name &&
			contactEmails(contact)
				.map((email) => email.toLowerCase())
				.sort()
				.join(' ') === emails,
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const check = inputCheck.call(this, itemIndex);
	const record = this.getInputData()[itemIndex]?.json ?? {};
	const type = recordTypeOf.call(this, check, itemIndex, record);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const linkedId = readLinkedId(check, this.getNodeParameter('linkedContactId', itemIndex, ''));
	const number = check.text(this.getNodeParameter('customerNumber', itemIndex, ''), 'Customer Number');
	const wantedNumber =
		number === undefined ? undefined : check.number(number, 'Customer Number', { min: 1, decimals: 0 });
	const wantedKind = type === 'company' ? 'company' : 'person';
	// Mapped only when needed: a linked record need not be complete enough to create a contact from.
	const create = async () => {
		const mapped = contactFromBitrix24(check, record, type, { salutation: options.salutation as string | undefined });
		if (options.afterAbandonedAttempt === true) {
			const made = await contactsMadeFrom.call(this, mapped.body);
			if (made?.length === 1)
				return { contact: made[0], matchedBy: 'created' as const, leftOut: mapped.leftOut, settledByReadBack: true };
		}
		return await createContact.call(this, mapped.body, mapped.leftOut);
	};

	const found =
		(linkedId ? await linkedContact.call(this, linkedId) : undefined) ??
		(options.matchByEmail !== false ? await contactByEmail.call(this, itemIndex, record, wantedKind) : undefined) ??
		(wantedNumber !== undefined
			? await contactByCustomerNumber.call(this, check, itemIndex, wantedNumber, wantedKind)
			: undefined) ??
		(options.createIfNotFound !== false ? await create() : undefined);

	const bitrix24 = { type, id: record.ID ?? null };
	if (!found) {
		return [
			{ json: { id: null, matchedBy: 'none', created: false, linkMustBeWritten: false, bitrix24, contact: null } },
		];
	}
	const id = String(found.contact.id);
	return [
		{
			json: {
				id,
				name: contactDisplayName(found.contact),
				customerNumber: customerNumber(found.contact) ?? null,
				matchedBy: found.matchedBy,
				created: found.matchedBy === 'created',
				linkMustBeWritten: !linksTo(record, id),
				...(found.leftOut?.length ? { leftOut: found.leftOut } : {}),
				...(found.settledByReadBack ? { settledByReadBack: true } : {}),
				bitrix24,
				contact: found.contact,
			},
		},
	];
}

function recordTypeOf(
	this: IExecuteFunctions,
	check: InputCheck,
	itemIndex: number,
	record: IDataObject,
): Bitrix24RecordType {
	const wanted = String(this.getNodeParameter('recordType', itemIndex, 'auto'));
	if (wanted === 'contact' || wanted === 'company') return wanted;
	if (wanted !== 'auto')
		check.fail(`"Bitrix24 Record Type" must be contact or company, not "${wanted}"`, 'Choose Contact or Company.');
	const detected = detectRecordType(record);
	if (detected) return detected;
	return check.fail(
		'The input item is not a Bitrix24 contact or company (it has neither TITLE nor NAME/LAST_NAME)',
		'Connect the output of a Bitrix24 node\'s Contact or Company "Get", or set "Bitrix24 Record Type".',
	);
}

/** The LexOffice id in a link: a contact id, or the company of a `<id>:person:<n>` link. */
function readLinkedId(check: InputCheck, value: unknown): string | undefined {
	const linked = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	// A claim (an execution finding or creating the contact right now) is no link yet.
	if (linked.trim() === '' || parseClaim(linked)) return undefined;
	return check.uuid(parseOriginId(linked)?.contactId ?? linked, 'Linked LexOffice ID');
}

/** A linked contact that LexOffice no longer has (404) falls through to the other rules. */
async function linkedContact(this: IExecuteFunctions, id: string): Promise<Found | undefined> {
	try {
		return { contact: await getContact.call(this, id), matchedBy: 'linkedId' };
	} catch (error) {
		if (httpCodeOf(error) === 404) return undefined;
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/**
 * Only contacts of the record's kind count: a Bitrix24 contact whose address is a contact
 * person's at a LexOffice company is not that company (the sync keeps persons and companies
 * apart, and a link would then point a Bitrix24 contact at a LexOffice company).
 */
const ofKind = (kind: 'person' | 'company') => (contact: IDataObject) =>
	contact[kind] !== undefined && contact[kind] !== null;

async function contactByEmail(
	this: IExecuteFunctions,
	itemIndex: number,
	record: IDataObject,
	kind: 'person' | 'company',
): Promise<Found | undefined> {
	for (const email of recordEmails(record)) {
		const matches = (
			await contactsWithEmail.call(this, email, { includeArchived: includeArchived.call(this, itemIndex) })
		).filter(ofKind(kind));
		const [chosen] = matchOutput.call(this, itemIndex, matches, `the e-mail ${email}`);
		if (chosen) return { contact: chosen.json, matchedBy: 'email' };
	}
	return undefined;
}

async function contactByCustomerNumber(
	this: IExecuteFunctions,
	check: InputCheck,
	itemIndex: number,
	number: number,
	kind: 'person' | 'company',
): Promise<Found | undefined> {
	const matches = await contactsWithCustomerNumber.call(this, number, {
		includeArchived: includeArchived.call(this, itemIndex),
	});
	const otherKind = matches.find((contact) => !ofKind(kind)(contact));
	if (otherKind) {
		check.fail(
			`"Customer Number" ${number} belongs to the LexOffice ${kind === 'person' ? 'company' : 'person'} "${contactDisplayName(otherKind)}", but the Bitrix24 record is a ${kind === 'person' ? 'contact' : 'company'}`,
			'Check the Bitrix24 field mapped to "Customer Number": LexOffice persons belong to Bitrix24 contacts and LexOffice companies to Bitrix24 companies.',
		);
	}
	const [chosen] = matchOutput.call(this, itemIndex, matches, `the customer number ${number}`);
	return chosen ? { contact: chosen.json, matchedBy: 'customerNumber' } : undefined;
}

/**
 * Creates the contact. When the answer to the POST is lost (the transport never repeats it), the
 * contact is looked up again first: found, it is used; not there, it was not created and is
 * created once more. Never a second contact for one Bitrix24 record.
 */
async function createContact(this: IExecuteFunctions, body: IDataObject, leftOut: string[]): Promise<Found> {
	let answer: unknown;
	for (let attempt = 0; ; attempt++) {
		try {
			answer = await lexofficeRequest.call(this, { method: 'POST', path: '/v1/contacts', body });
			break;
		} catch (error) {
			// The transport's errors are NodeApiErrors already, handed back unchanged.
			if (!isUncertainWrite(error) || attempt >= 1) throw new NodeApiError(this.getNode(), error as JsonObject);
			const made = await contactsMadeFrom.call(this, body);
			if (made === undefined || made.length > 1) throw new NodeApiError(this.getNode(), error as JsonObject);
			if (made.length === 1) return { contact: made[0], matchedBy: 'created', leftOut, settledByReadBack: true };
		}
	}
	const { id } = parseActionResult.call(this, answer, 'the new contact');
	// Read back for the customer number LexOffice assigned (§3.3: read-only, set on creation).
	const contact = await readAfterWrite.call(
		this,
		{ what: 'contact', id, done: 'created' },
		async () => await getContact.call(this, id),
	);
	return { contact, matchedBy: 'created', leftOut };
}
