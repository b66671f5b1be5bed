import { createHash } from 'crypto';

import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_KEEPS, type Bitrix24Keeps } from '../../../shared/contract/bitrix24Keeps';
import { SYSTEM_CODE } from '../../../shared/contract/links';
import { addressTypeProperty, countryNameLanguageProperty } from '../../helpers/addressValues';
import { bitrix24Call, rowsOf } from '../../transport';
import { portalSetupRead } from '../../helpers/portalReads';
import { settleUncertainWrites } from '../shared/settleUncertain';
import { jsonOutcomes, type BatchOperation } from '../../../shared/operation';
import { syncContacts, type SyncSettings } from './syncContactsRun';

/** A mapping form for fields the built-in mapping does not fill, or that a user wants otherwise. */
function extraFieldsProperty(entity: 'company' | 'contact'): INodeProperties {
	const company = entity === 'company';
	return {
		displayName: company ? 'Extra Company Fields' : 'Extra Contact Fields',
		name: company ? 'companyFields' : 'contactFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: company ? 'getSyncCompanyFields' : 'getSyncContactFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
		description: company
			? 'Bitrix24 company fields to fill from the LexOffice company (an expression on the input item), in addition to the built-in mapping or instead of it for the same field'
			: 'Bitrix24 contact fields to fill from the LexOffice person (an expression on the input item), in addition to the built-in mapping or instead of it for the same field. Not used for contact persons of companies.',
	};
}

export const option: BatchOperation['option'] = {
	name: 'Sync Contacts',
	value: 'syncContacts',
	description:
		'Create or update LexOffice contacts in Bitrix24: persons as contacts, companies with their contact persons, requisite and addresses',
	action: 'Sync LexOffice contacts to Bitrix24',
};

const properties: INodeProperties[] = [
	{
		displayName: 'LexOffice Contact',
		name: 'contact',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			"The LexOffice contact (JSON) to sync, as the LexOffice node's Contact → Get Many gives it. After the LexOffice Trigger, map the item's resource field.",
	},
	{
		displayName: 'Responsible User Name or ID',
		name: 'responsibleUserId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsersOrCredentialUser' },
		default: '',
		description:
			'Responsible person (ASSIGNED_BY_ID) of the records the sync creates; of every record it writes with Options → Set Responsible User → On Create and Update. Default: Bitrix24\'s default (the webhook\'s user). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Company Requisite Template Name or ID',
		name: 'companyPresetId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getRequisitePresets' },
		default: '',
		description:
			'Requisite template for companies. Empty: the German default for legal entities. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Contact Requisite Template Name or ID',
		name: 'contactPresetId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getRequisitePresets' },
		default: '',
		description:
			'Requisite template for persons. Empty: the German default for private persons. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		...addressTypeProperty(
			'Billing Address Type Name or ID',
			'Address type the LexOffice billing address is stored as. Default: 6 (legal address).',
			'getBillingAddressTypes',
		),
		name: 'billingAddressTypeId',
	},
	{
		...addressTypeProperty(
			'Shipping Address Type Name or ID',
			'Address type the LexOffice shipping address is stored as. Default: 11 (delivery address).',
			'getShippingAddressTypes',
		),
		name: 'shippingAddressTypeId',
	},
	extraFieldsProperty('company'),
	extraFieldsProperty('contact'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Comments',
				name: 'comments',
				type: 'options',
				options: [
					{
						name: "Append LexOffice's as a Marked Block",
						value: 'append',
						description:
							"Bitrix24's own text stays; LexOffice's comments follow between --- LexOffice --- and --- /LexOffice ---, replaced (never repeated) on every sync",
					},
					{
						name: "Keep Bitrix24's",
						value: 'keep',
						description: "Records that exist keep their comments; only records the sync creates get LexOffice's",
					},
					{
						name: "Overwrite with LexOffice's",
						value: 'overwrite',
						description: "Bitrix24's comments become LexOffice's note and number lines",
					},
				],
				default: 'keep',
				description: 'What the comments of a Bitrix24 record that exists (also one adopted by e-mail) become',
			},
			countryNameLanguageProperty,
			{
				displayName: 'Customer Number Field',
				name: 'customerNumberField',
				type: 'string',
				default: '',
				placeholder: 'UF_CRM_KUNDENNUMMER',
				description:
					'Bitrix24 field (on contacts and companies) for the LexOffice customer number. Empty: written as a line into the comments.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only report what would be created or updated, without writing anything. Each contact it would change lists per record the fields with their old and new values.',
			},
			{
				displayName: 'E-Mails and Phones',
				name: 'emailsAndPhones',
				type: 'options',
				options: [
					{
						name: 'Add Missing',
						value: 'addMissing',
						description:
							'Add the e-mail addresses and phone numbers Bitrix24 lacks (e-mails compared ignoring case, phones by their digits); never remove one',
					},
					{
						name: 'Replace',
						value: 'replace',
						description: "Bitrix24 holds exactly LexOffice's e-mail addresses and phone numbers; others are deleted",
					},
				],
				default: 'addMissing',
				description: 'What the e-mail addresses and phone numbers of a Bitrix24 record that exists become',
			},
			{
				displayName: 'Match Existing Records by Email',
				name: 'matchByEmail',
				type: 'boolean',
				default: true,
				description:
					'Whether a Bitrix24 record without LexOffice link that has one of the e-mail addresses is adopted instead of creating a duplicate',
			},
			{
				displayName: 'Set Responsible User',
				name: 'responsibleUserOn',
				type: 'options',
				options: [
					{
						name: 'On Create Only',
						value: 'onCreate',
						description: 'Records that exist (also those adopted by e-mail) keep their responsible person',
					},
					{
						name: 'On Create and Update',
						value: 'always',
						description: 'Every record written gets the Responsible User',
					},
				],
				default: 'onCreate',
				description: 'Which records get the Responsible User',
			},
			{
				displayName: 'Skip Archived Contacts',
				name: 'skipArchived',
				type: 'boolean',
				default: true,
				description: 'Whether archived LexOffice contacts are left out (reported as skipped)',
			},
			{
				displayName: 'System Code',
				name: 'systemCode',
				type: 'string',
				default: SYSTEM_CODE,
				description: 'Stored as ORIGINATOR_ID; records of other systems are never taken for LexOffice ones',
			},
			{
				displayName: 'Vendor Number Field',
				name: 'vendorNumberField',
				type: 'string',
				default: '',
				placeholder: 'UF_CRM_LIEFERANTENNUMMER',
				description:
					'Bitrix24 field (on contacts and companies) for the LexOffice vendor number. Empty: written as a line into the comments.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lexofficeSync'], operation: ['syncContacts'] } },
	properties,
);

const FIELD_NAME = /^[A-Z][A-Z0-9_]*$/;

function idParameter(this: IExecuteFunctions, name: string, label: string): number | undefined {
	const raw = String(this.getNodeParameter(name, 0, '') ?? '').trim();
	if (raw === '') return undefined;
	if (/^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
	throw new NodeOperationError(this.getNode(), `"${label}" must be an ID from the list, got "${raw}"`, {
		description: `Choose "${label}" from the list, or clear it to use the default.`,
	});
}

function fieldParameter(this: IExecuteFunctions, value: unknown, label: string): string {
	const field = String(value ?? '')
		.trim()
		.toUpperCase();
	if (field === '' || FIELD_NAME.test(field)) return field;
	throw new NodeOperationError(this.getNode(), `"${label}" is not a Bitrix24 field name: "${String(value)}"`, {
		description:
			"Enter the field's code as Bitrix24 names it, e.g. UF_CRM_KUNDENNUMMER, or clear it to write the number into the comments.",
	});
}

/** Parameters that change what a contact becomes in Bitrix24; Dry Run and System Code do not. */
const MAPPING_PARAMETERS = [
	'responsibleUserId',
	'companyPresetId',
	'contactPresetId',
	'billingAddressTypeId',
	'shippingAddressTypeId',
];

/**
 * A short hash of how this node maps, stored with the LexOffice version (ORIGIN_VERSION
 * `7/1a2b3c4d`): change a template, an address type, an extra field or an option (what existing
 * records keep among them) and every contact counts as changed on the next run, so the new mapping
 * reaches records whose LexOffice version did not move.
 */
function mappingFingerprint(this: IExecuteFunctions): string {
	const parameters = this.getNode().parameters;
	const options = { ...((parameters.options ?? {}) as IDataObject) };
	delete options.dryRun;
	delete options.systemCode;
	const mapperValue = (name: string) => ((parameters[name] ?? {}) as IDataObject).value ?? null;
	const relevant = [
		...MAPPING_PARAMETERS.map((name) => parameters[name] ?? ''),
		mapperValue('companyFields'),
		mapperValue('contactFields'),
		options,
	];
	return createHash('sha256').update(stableJson(relevant)).digest('hex').slice(0, 8);
}

/** JSON with object keys sorted, so the same settings always hash the same. */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
		return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** What existing Bitrix24 records keep; an option left out means its default (DEFAULT_KEEPS). */
function keepsOf(this: IExecuteFunctions, options: IDataObject): Bitrix24Keeps {
	const choice = <T extends string>(name: string, label: string, allowed: readonly T[], fallback: T): T => {
		const value = options[name];
		if (value === undefined || value === '') return fallback;
		if (allowed.includes(value as T)) return value as T;
		throw new NodeOperationError(this.getNode(), `"${label}" is not one of its choices: "${String(value)}"`, {
			description: `Choose one of ${allowed.join(', ')} in Sync Contacts → Options → ${label}, or remove the option.`,
		});
	};
	return {
		responsibleUser: choice(
			'responsibleUserOn',
			'Set Responsible User',
			['onCreate', 'always'],
			DEFAULT_KEEPS.responsibleUser,
		),
		emailsAndPhones: choice(
			'emailsAndPhones',
			'E-Mails and Phones',
			['addMissing', 'replace'],
			DEFAULT_KEEPS.emailsAndPhones,
		),
		comments: choice('comments', 'Comments', ['keep', 'overwrite', 'append'], DEFAULT_KEEPS.comments),
	};
}

/** Node-wide settings, checked before anything is read or written. */
export function readSyncSettings(this: IExecuteFunctions): SyncSettings {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const systemCode = String(options.systemCode ?? SYSTEM_CODE).trim();
	if (!systemCode) {
		throw new NodeOperationError(this.getNode(), 'System Code is empty', {
			description: 'Enter lexoffice, or remove the option.',
		});
	}
	return {
		systemCode,
		mappingFingerprint: mappingFingerprint.call(this),
		dryRun: options.dryRun === true,
		skipArchived: options.skipArchived !== false,
		matchByEmail: options.matchByEmail !== false,
		companyPresetId: idParameter.call(this, 'companyPresetId', 'Company Requisite Template'),
		contactPresetId: idParameter.call(this, 'contactPresetId', 'Contact Requisite Template'),
		billingAddressTypeId: idParameter.call(this, 'billingAddressTypeId', 'Billing Address Type') ?? 6,
		shippingAddressTypeId: idParameter.call(this, 'shippingAddressTypeId', 'Shipping Address Type') ?? 11,
		keeps: keepsOf.call(this, options),
		mapping: {
			responsibleUserId: idParameter.call(this, 'responsibleUserId', 'Responsible User'),
			customerNumberField: fieldParameter.call(this, options.customerNumberField, 'Customer Number Field'),
			vendorNumberField: fieldParameter.call(this, options.vendorNumberField, 'Vendor Number Field'),
			countryNameLanguage: options.countryNameLanguage === 'en' ? 'en' : 'de',
		},
	};
}

export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<INodeExecutionData | Error>> {
	const settings = readSyncSettings.call(this);
	if (settings.billingAddressTypeId === settings.shippingAddressTypeId) {
		throw new NodeOperationError(this.getNode(), 'Billing Address Type and Shipping Address Type are the same', {
			description: 'A requisite holds one address per type. Choose different address types for the two addresses.',
		});
	}
	let userChecked: Promise<void> | undefined;
	const checkUserOnce = async () =>
		await (userChecked ??= checkResponsibleUser.call(this, settings.mapping.responsibleUserId));
	const outcomes = await settleUncertainWrites(
		itemIndexes,
		async (indexes) => await syncContacts.call(this, settings, indexes, checkUserOnce),
		['contactPersons'],
	);
	return jsonOutcomes(outcomes);
}

/** A user as user.get gives it (none if there is no such user), read once per execution and credential. */
const userRows = portalSetupRead(
	(userId: number) => `user ${userId}`,
	async function (this: IExecuteFunctions, userId: number): Promise<IDataObject[]> {
		return rowsOf((await bitrix24Call.call(this, 'user.get', { FILTER: { ID: userId } })).result);
	},
);

/**
 * Records get the responsible user (created ones, or all with "On Create and Update"), so a user who left (deactivated) or does not exist is a
 * setting that fails the whole run, before anything is written (checked once per execution, and
 * not at all when every input repeats what this process just synced). ASSUMPTION: bitrix24-api.md does
 * not say whether Bitrix24 refuses ASSIGNED_BY_ID of a deactivated user; records assigned to one
 * would be invisible in every employee's "my contacts", so the sync does not rely on it.
 */
async function checkResponsibleUser(this: IExecuteFunctions, userId: number | undefined): Promise<void> {
	if (userId === undefined) return;
	const [user] = await userRows.call(this, userId);
	const fix = 'Choose an active user as "Responsible User" on Sync Contacts.';
	if (!user)
		throw new NodeOperationError(this.getNode(), `Responsible User ${userId} does not exist in Bitrix24`, {
			description: fix,
		});
	if (user.ACTIVE === false || user.ACTIVE === 'N') {
		throw new NodeOperationError(this.getNode(), `Responsible User ${userId} is deactivated in Bitrix24`, {
			description: fix,
		});
	}
}
