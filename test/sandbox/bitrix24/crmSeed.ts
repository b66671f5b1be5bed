/**
 * Realistic German CRM content for a portal (contacts, companies with requisites and addresses,
 * smart invoices), built from the shared word lists in test/sandbox/seed and written through the
 * same code as the REST methods. Deterministic: the same options give the same records.
 */
import { seededRandom, seededUuid, type Random } from '../common';
import {
	asciiLocalPart,
	COMPANY_STEMS,
	EMAIL_DOMAINS,
	FEMALE_FIRST_NAMES,
	LAST_NAMES,
	LEGAL_FORMS,
	MALE_FIRST_NAMES,
	PLACES,
	STREETS,
} from '../seed';
import type { AuthContext, CallContext } from './context';
import { createRecord, legacyInput } from './entities';
import { ENTITIES } from './fields';
import type { Portal } from './portal';
import { ALL_SCOPES } from './portal';
import { PRESET_XML_IDS } from './seedData';
import { nextId, type CrmRecord } from './state';

export interface CrmSeedOptions {
	contacts?: number;
	companies?: number;
	invoices?: number;
	seed?: number;
}

export interface CrmSeedSummary {
	contacts: number;
	companies: number;
	invoices: number;
	requisites: number;
	addresses: number;
}

function seedContext(portal: Portal): CallContext {
	const user = portal.user(1) ?? portal.state.users[0];
	const auth: AuthContext = { kind: 'webhook', user, consumer: 'seed', scopes: ALL_SCOPES };
	return { method: 'seed', params: {}, auth, portal, inBatch: false };
}

function landline(random: Random): string {
	return `0${random.int(30, 999)} ${random.int(100000, 9999999)}`;
}

function addRequisiteWithAddress(
	context: CallContext,
	random: Random,
	owner: CrmRecord,
	entityTypeId: 3 | 4,
	name: string,
): void {
	const { portal } = context;
	const xmlId = entityTypeId === 4 ? PRESET_XML_IDS.legalEntity : PRESET_XML_IDS.person;
	const preset = portal.state.presets.find((candidate) => candidate.XML_ID === xmlId);
	if (!preset) return;
	const requisite: CrmRecord = {
		ID: nextId(portal.state, 'requisite'),
		ENTITY_TYPE_ID: entityTypeId,
		ENTITY_ID: owner.ID,
		PRESET_ID: preset.ID,
		NAME: name,
		ACTIVE: 'Y',
		ADDRESS_ONLY: 'N',
		SORT: 500,
		DATE_CREATE: portal.iso(),
		CREATED_BY_ID: 1,
		...(entityTypeId === 4
			? { RQ_COMPANY_NAME: name, RQ_VAT_ID: random.chance(0.6) ? `DE${random.int(100000000, 999999999)}` : null }
			: { RQ_FIRST_NAME: owner.NAME, RQ_LAST_NAME: owner.LAST_NAME }),
	};
	portal.state.requisites.push(requisite);
	const place = random.pick(PLACES.filter((candidate) => candidate.countryCode === 'DE'));
	portal.state.addresses.push({
		TYPE_ID: entityTypeId === 4 ? 6 : 1,
		ENTITY_TYPE_ID: 8,
		ENTITY_ID: requisite.ID,
		ANCHOR_TYPE_ID: entityTypeId,
		ANCHOR_ID: owner.ID,
		ADDRESS_1: `${random.pick(STREETS)} ${random.int(1, 180)}`,
		ADDRESS_2: null,
		CITY: place.city,
		POSTAL_CODE: place.zip,
		REGION: null,
		PROVINCE: null,
		COUNTRY: 'Deutschland',
		COUNTRY_CODE: 'DE',
		LOC_ADDR_ID: 0,
	});
}

export function seedCrm(portal: Portal, options: CrmSeedOptions = {}): CrmSeedSummary {
	const random = seededRandom(options.seed ?? 1);
	const context = seedContext(portal);
	const before = { requisites: portal.state.requisites.length, addresses: portal.state.addresses.length };
	portal.events.muted = true;
	try {
		const companies = Array.from({ length: options.companies ?? 8 }, (_, index) => {
			const stem = COMPANY_STEMS[index % COMPANY_STEMS.length];
			const title = `${stem} ${random.pick(LEGAL_FORMS)}`;
			const domain = `${asciiLocalPart(stem).replace(/\./g, '-')}.de`;
			const company = createRecord(
				context,
				ENTITIES.COMPANY,
				legacyInput({
					TITLE: title,
					COMPANY_TYPE: random.pick(['CUSTOMER', 'CUSTOMER', 'SUPPLIER', 'PARTNER']),
					EMAIL: [{ VALUE: `info@${domain}`, VALUE_TYPE: 'WORK' }],
					PHONE: [{ VALUE: landline(random), VALUE_TYPE: 'WORK' }],
					WEB: [{ VALUE: `https://www.${domain}`, VALUE_TYPE: 'WORK' }],
					ASSIGNED_BY_ID: random.int(1, 5),
					...(random.chance(0.4)
						? { ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: seededUuid(random), ORIGIN_VERSION: String(random.int(1, 5)) }
						: {}),
				}),
			);
			addRequisiteWithAddress(context, random, company, 4, title);
			return company;
		});
		const contacts = Array.from({ length: options.contacts ?? 20 }, () => {
			const female = random.chance(0.5);
			const firstName = random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
			const lastName = random.pick(LAST_NAMES);
			const employer = companies.length > 0 && random.chance(0.5) ? random.pick(companies) : undefined;
			const contact = createRecord(
				context,
				ENTITIES.CONTACT,
				legacyInput({
					HONORIFIC: female ? 'HNR_DE_2' : 'HNR_DE_1',
					NAME: firstName,
					LAST_NAME: lastName,
					TYPE_ID: 'CLIENT',
					SOURCE_ID: random.pick(['CALL', 'EMAIL', 'WEB', 'PARTNER']),
					EMAIL: [
						{
							VALUE: `${asciiLocalPart(firstName, lastName)}@${random.pick(EMAIL_DOMAINS)}`,
							VALUE_TYPE: random.pick(['WORK', 'HOME']),
						},
					],
					PHONE: [
						{
							VALUE: `+49 ${random.pick(['151', '160', '170', '176'])} ${random.int(1000000, 99999999)}`,
							VALUE_TYPE: 'MOBILE',
						},
					],
					ASSIGNED_BY_ID: random.int(1, 5),
					...(employer ? { COMPANY_ID: employer.ID } : {}),
					...(random.chance(0.3)
						? { ORIGINATOR_ID: 'lexoffice', ORIGIN_ID: seededUuid(random), ORIGIN_VERSION: String(random.int(1, 5)) }
						: {}),
				}),
			);
			if (random.chance(0.4)) addRequisiteWithAddress(context, random, contact, 3, `${firstName} ${lastName}`);
			return contact;
		});
		const stages = ['N', 'S', 'P', 'D'];
		const category = portal.config.invoiceCategoryId;
		for (let index = 0; index < (options.invoices ?? 6); index += 1) {
			const client = companies.length > 0 ? random.pick(companies) : undefined;
			const net = random.int(50, 5000);
			createRecord(context, ENTITIES.SMART_INVOICE, {
				fields: {
					TITLE: `RE-2024-${String(index + 1).padStart(4, '0')}`,
					XML_ID: seededUuid(random),
					STAGE_ID: `DT31_${category}:${random.pick(stages)}`,
					COMPANY_ID: client?.ID ?? null,
					CONTACT_IDS: contacts.length > 0 ? [random.pick(contacts).ID] : [],
					OPPORTUNITY: Math.round(net * 119) / 100,
					IS_MANUAL_OPPORTUNITY: 'Y',
					TAX_VALUE: Math.round(net * 19) / 100,
					CURRENCY_ID: 'EUR',
				},
				multifields: [],
			});
		}
		return {
			contacts: contacts.length,
			companies: companies.length,
			invoices: options.invoices ?? 6,
			requisites: portal.state.requisites.length - before.requisites,
			addresses: portal.state.addresses.length - before.addresses,
		};
	} finally {
		portal.events.muted = false;
	}
}
