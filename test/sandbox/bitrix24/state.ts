/**
 * In-memory portal state. Every CRM record (contact, company, smart invoice, requisite) is stored
 * with UPPER_CASE field names, the way the legacy methods see it; crm.item.* converts to camelCase
 * on the way in and out (fields.ts). Tests may read all of this directly via `sandbox.state`.
 */
import { buildReferenceData, type ReferenceDataConfig } from './seedData';

export const MULTIFIELD_TYPES = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'] as const;
export type MultifieldType = (typeof MULTIFIELD_TYPES)[number];

/** One value of EMAIL/PHONE/…; IDs are unique portal-wide (bitrix24-api.md §4.2). */
export interface Multifield {
	ID: number;
	TYPE_ID: MultifieldType;
	VALUE_TYPE: string;
	VALUE: string;
}

/** A CRM record with UPPER_CASE keys; multifields live under their type key (record.EMAIL …). */
export type CrmRecord = { ID: number } & Record<string, unknown>;

export interface User {
	ID: number;
	ACTIVE: boolean;
	NAME: string;
	LAST_NAME: string;
	EMAIL: string;
	WORK_POSITION: string;
	PERSONAL_GENDER: 'M' | 'F';
	USER_TYPE: 'employee' | 'extranet';
	UF_DEPARTMENT: number[];
	DATE_REGISTER: string;
	isAdmin: boolean;
}

export interface RequisitePreset {
	ID: number;
	ENTITY_TYPE_ID: 8;
	COUNTRY_ID: number;
	NAME: string;
	XML_ID: string;
	ACTIVE: 'Y' | 'N';
	SORT: number;
	/** RQ_* fields the template shows (§5). */
	FIELDS: string[];
}

export interface Address {
	TYPE_ID: number;
	ENTITY_TYPE_ID: number;
	ENTITY_ID: number;
	/** The contact/company the requisite belongs to. */
	ANCHOR_TYPE_ID: number;
	ANCHOR_ID: number;
	ADDRESS_1: string | null;
	ADDRESS_2: string | null;
	CITY: string | null;
	POSTAL_CODE: string | null;
	REGION: string | null;
	PROVINCE: string | null;
	COUNTRY: string | null;
	COUNTRY_CODE: string | null;
	LOC_ADDR_ID: number;
}

export interface AttachedFile {
	name: string;
	size: number;
	/** 'pdf' | 'docx' | 'other', from the magic bytes: lets tests assert what was uploaded. */
	kind: string;
	base64: string;
}

export type TimelineEntry =
	| {
			kind: 'comment';
			id: number;
			entityType: string;
			entityTypeId: number;
			entityId: number;
			authorId: number;
			created: string;
			comment: string;
			files: AttachedFile[];
	  }
	| {
			kind: 'logmessage';
			id: number;
			entityTypeId: number;
			entityId: number;
			authorId: number;
			created: string;
			title: string;
			text: string;
			iconCode: string;
	  };

export interface UploadedDocument {
	id: number;
	entityTypeId: number;
	entityId: number;
	title: string;
	number: string;
	region: string;
	file: AttachedFile;
	pdf?: AttachedFile;
	createdBy: number;
	createTime: string;
}

export interface TriggerFiring {
	kind: 'webhook-trigger' | 'app-trigger';
	code: string | null;
	target?: string;
	entityTypeId: number;
	entityId: number;
	byUserId: number;
	at: string;
}

/** A notification sent with im.notify.system.add. */
export interface Notification {
	id: number;
	userId: number;
	message: string;
	tag: string | null;
	byUserId: number;
	at: string;
}

export interface AppTrigger {
	CODE: string;
	NAME: string;
}

export interface BizprocTemplate {
	ID: number;
	MODULE_ID: 'crm';
	ENTITY: string;
	DOCUMENT_TYPE: [string, string, string];
	NAME: string;
	AUTO_EXECUTE: number;
}

export interface WorkflowStart {
	id: string;
	templateId: number;
	documentId: unknown[];
	parameters: unknown;
	startedBy: number;
	at: string;
}

export interface Robot {
	CODE: string;
	HANDLER: string;
	NAME: unknown;
	AUTH_USER_ID: number;
	USE_SUBSCRIPTION: string;
	PROPERTIES: unknown;
	RETURN_PROPERTIES: unknown;
	DOCUMENT_TYPE: unknown;
}

export interface PlacementBinding {
	id: number;
	placement: string;
	handler: string;
	title: string;
	description: string;
	groupName: string;
	langAll: unknown;
	options: unknown;
	userId: number;
}

export interface EventBinding {
	id: number;
	/** Upper-cased event name, e.g. ONCRMCONTACTADD. */
	event: string;
	handler: string;
	authType: number;
	offline: boolean;
	authConnector: string;
	/** 'app' for event.bind, 'outgoing-webhook' for handlers configured in the portal UI (§10). */
	source: 'app' | 'outgoing-webhook';
	/** What arrives as auth[application_token]. */
	applicationToken: string;
}

export interface Category {
	id: number;
	entityTypeId: number;
	name: string;
	sort: number;
	isDefault: 'Y' | 'N';
}

export interface StatusEntry {
	ID: number;
	ENTITY_ID: string;
	STATUS_ID: string;
	NAME: string;
	NAME_INIT: string;
	SORT: number;
	SYSTEM: 'Y' | 'N';
	CATEGORY_ID: number | null;
	COLOR: string | null;
	SEMANTICS: 'S' | 'F' | null;
}

export interface UserField {
	ID: number;
	ENTITY_ID: string;
	FIELD_NAME: string;
	USER_TYPE_ID: string;
	MULTIPLE: 'Y' | 'N';
	MANDATORY: 'Y' | 'N';
	LABEL: string;
	XML_ID: string | null;
	/** Choices of an `enumeration` field (crm.*.userfield.add LIST, §4.4). */
	LIST?: Array<{ ID: number; VALUE: string }>;
}

export interface Bitrix24State {
	users: User[];
	presets: RequisitePreset[];
	contacts: CrmRecord[];
	companies: CrmRecord[];
	/** Smart invoices (entityTypeId 31), UPPER_CASE keys (XML_ID, STAGE_ID, …). */
	items: CrmRecord[];
	requisites: CrmRecord[];
	addresses: Address[];
	timeline: TimelineEntry[];
	documents: UploadedDocument[];
	triggerFirings: TriggerFiring[];
	notifications: Notification[];
	appTriggers: AppTrigger[];
	bizprocTemplates: BizprocTemplate[];
	workflows: WorkflowStart[];
	robots: Robot[];
	placements: PlacementBinding[];
	eventBindings: EventBinding[];
	categories: Category[];
	statuses: StatusEntry[];
	userFields: UserField[];
	/** Last id handed out per sequence. */
	sequences: Record<string, number>;
}

/** Separate ranges per entity, so a contact id used as a company id points at nothing. */
const SEQUENCE_STARTS: Record<string, number> = {
	contact: 1000,
	company: 2000,
	item: 3000,
	requisite: 500,
	multifield: 9000,
	timeline: 7000,
	document: 40,
	placement: 0,
	event: 0,
	workflow: 0,
	userField: 300,
	notification: 100,
};

export function nextId(state: Bitrix24State, sequence: keyof typeof SEQUENCE_STARTS | string): number {
	const next = (state.sequences[sequence] ?? SEQUENCE_STARTS[sequence] ?? 0) + 1;
	state.sequences[sequence] = next;
	return next;
}

export function createInitialState(config: ReferenceDataConfig): Bitrix24State {
	return {
		...buildReferenceData(config),
		contacts: [],
		companies: [],
		items: [],
		requisites: [],
		addresses: [],
		timeline: [],
		documents: [],
		triggerFirings: [],
		notifications: [],
		appTriggers: [],
		workflows: [],
		robots: [],
		placements: [],
		eventBindings: [],
		sequences: {},
	};
}

/** Replaces the contents of `target` in place, so references held by tests stay valid. */
export function replaceState(target: Bitrix24State, source: Bitrix24State): void {
	for (const key of Object.keys(source) as Array<keyof Bitrix24State>) {
		(target as unknown as Record<string, unknown>)[key] = source[key];
	}
}
