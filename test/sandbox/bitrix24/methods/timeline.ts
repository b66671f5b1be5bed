/**
 * Timeline comments and log messages (bitrix24-api.md §7.1) and uploaded CRM documents (§7.2).
 * Attachments are stored with their detected kind so tests can assert what was sent.
 */
import { done, isRecord, param, positiveInt, type CallContext, type MethodTable } from '../context';
import { findRecord } from '../entities';
import { B24Error } from '../errors';
import { entityByTypeId, ENTITIES, type EntityDescriptor } from '../fields';
import { listPlain } from '../listQuery';
import { nextId, type AttachedFile, type TimelineEntry } from '../state';

function requiredFieldsMissing(names: string[]): B24Error {
	return new B24Error(400, '100', `Required fields are not provided: ${names.join(', ')}`);
}

function missing(fields: Record<string, unknown>, names: string[]): string[] {
	return names.filter(
		(name) => fields[name] === undefined || fields[name] === null || String(fields[name]).trim() === '',
	);
}

export function attachedFile(name: string, base64: string): AttachedFile {
	const bytes = Buffer.from(base64, 'base64');
	const head = bytes.subarray(0, 4).toString('latin1');
	const kind = head === '%PDF' ? 'pdf' : head === 'PK\u0003\u0004' ? 'docx' : 'other';
	return { name, size: bytes.length, kind, base64 };
}

function owner(context: CallContext, entity: EntityDescriptor | undefined, id: unknown): EntityDescriptor {
	if (!entity || !findRecord(context.portal, entity, id))
		throw new B24Error(400, 'OWNER_NOT_FOUND', 'Owner element not found');
	return entity;
}

/** `fields.ENTITY_TYPE` is the lower-case type name (VERIFY 'smart_invoice', §7.1). */
function entityByTimelineName(name: unknown): EntityDescriptor | undefined {
	const wanted = String(name ?? '').toLowerCase();
	return Object.values(ENTITIES).find(
		(entity) => entity.timelineName === wanted || `dynamic_${entity.entityTypeId}` === wanted,
	);
}

function commentFiles(raw: unknown): AttachedFile[] {
	const list = Array.isArray(raw) ? raw : isRecord(raw) ? Object.values(raw) : [];
	return list.map((entry) => {
		const pair = Array.isArray(entry) ? entry : isRecord(entry) ? Object.values(entry) : [];
		if (pair.length < 2) throw new B24Error(400, 'INVALID_ARG_VALUE', 'FILES must be a list of [name, base64] pairs');
		return attachedFile(String(pair[0]), String(pair[1]));
	});
}

function commentView(entry: Extract<TimelineEntry, { kind: 'comment' }>): Record<string, unknown> {
	return {
		ID: String(entry.id),
		CREATED: entry.created,
		ENTITY_ID: String(entry.entityId),
		ENTITY_TYPE: entry.entityType,
		AUTHOR_ID: String(entry.authorId),
		COMMENT: entry.comment,
		FILES: Object.fromEntries(
			entry.files.map((file, index) => [String(index + 1), { id: index + 1, name: file.name, size: file.size }]),
		),
	};
}

function comments(context: CallContext): Array<Extract<TimelineEntry, { kind: 'comment' }>> {
	return context.portal.state.timeline.filter(
		(entry): entry is Extract<TimelineEntry, { kind: 'comment' }> => entry.kind === 'comment',
	);
}

const timelineMethods: MethodTable = {
	'crm.timeline.comment.add': {
		scope: 'crm',
		handler: (context) => {
			// Since crm 23.100.0 only the lower-case key is read (§7.1).
			const fields = context.params.fields;
			if (!isRecord(fields)) throw requiredFieldsMissing(['fields']);
			const absent = missing(fields, ['ENTITY_ID', 'ENTITY_TYPE']);
			if (absent.length > 0) throw requiredFieldsMissing(absent);
			const entity = owner(context, entityByTimelineName(fields.ENTITY_TYPE), fields.ENTITY_ID);
			if (missing(fields, ['COMMENT']).length > 0) throw new B24Error(400, 'INVALID_ARG_VALUE', 'Empty comment');
			const entry: TimelineEntry = {
				kind: 'comment',
				id: nextId(context.portal.state, 'timeline'),
				entityType: entity.timelineName,
				entityTypeId: entity.entityTypeId,
				entityId: Number(fields.ENTITY_ID),
				authorId: positiveInt(fields.AUTHOR_ID) ?? context.auth.user.ID,
				created: context.portal.iso(),
				comment: String(fields.COMMENT),
				files: commentFiles(fields.FILES),
			};
			context.portal.state.timeline.push(entry);
			return done(entry.id);
		},
	},
	'crm.timeline.comment.get': {
		scope: 'crm',
		handler: (context) => {
			const entry = comments(context).find((comment) => comment.id === Number(param(context.params, 'id')));
			if (!entry) throw new B24Error(400, 'NOT_FOUND', 'Not found.');
			return done(commentView(entry));
		},
	},
	'crm.timeline.comment.list': {
		scope: 'crm',
		handler: (context) => {
			const rows = comments(context).map(commentView);
			const page = listPlain(rows, ['ID', 'ENTITY_ID', 'ENTITY_TYPE', 'AUTHOR_ID', 'CREATED'], {
				filter: param(context.params, 'filter'),
				order: param(context.params, 'order'),
				start: param(context.params, 'start'),
			});
			return { result: page.rows, total: page.total, next: page.next };
		},
	},
	// Bitrix24 REST docs, crm/timeline/comment/crm_timeline_comment_delete: `id` of the comment.
	'crm.timeline.comment.delete': {
		scope: 'crm',
		handler: (context) => {
			const id = Number(param(context.params, 'id'));
			const index = context.portal.state.timeline.findIndex((entry) => entry.kind === 'comment' && entry.id === id);
			if (index < 0) throw new B24Error(400, 'NOT_FOUND', 'Not found.');
			context.portal.state.timeline.splice(index, 1);
			return done(true);
		},
	},
	'crm.timeline.logmessage.add': {
		scope: 'crm',
		handler: (context) => {
			const fields = param(context.params, 'fields');
			if (!isRecord(fields)) throw requiredFieldsMissing(['fields']);
			// All five are required; iconCode included (bitrix-tools/b24-rest-docs#57).
			const absent = missing(fields, ['entityTypeId', 'entityId', 'title', 'text', 'iconCode']);
			if (absent.length > 0) throw requiredFieldsMissing(absent);
			const entity = owner(context, entityByTypeId(Number(fields.entityTypeId)), fields.entityId);
			const entry: TimelineEntry = {
				kind: 'logmessage',
				id: nextId(context.portal.state, 'timeline'),
				entityTypeId: entity.entityTypeId,
				entityId: Number(fields.entityId),
				authorId: context.auth.user.ID,
				created: context.portal.iso(),
				title: String(fields.title),
				text: String(fields.text),
				iconCode: String(fields.iconCode),
			};
			context.portal.state.timeline.push(entry);
			const { id, created, authorId, title, text, iconCode } = entry;
			return done({ logMessage: { id, created, authorId, title, text, iconCode } });
		},
	},
	'crm.timeline.icon.list': {
		scope: 'crm',
		handler: () =>
			done({ icons: ['info', 'attention', 'check', 'document', 'mail'].map((code) => ({ code, isSystem: true })) }),
	},
};

const DOCUMENT_REQUIRED = ['entityTypeId', 'entityId', 'fileContent', 'region', 'title', 'number'];

const documentMethods: MethodTable = {
	'crm.documentgenerator.document.upload': {
		scope: 'crm',
		// A file upload: refused inside batch (§3.3).
		notInBatch: true,
		handler: (context) => {
			const fields = param(context.params, 'fields');
			if (!isRecord(fields)) throw requiredFieldsMissing(['fields']);
			const absent = missing(fields, DOCUMENT_REQUIRED);
			if (absent.length > 0) throw requiredFieldsMissing(absent);
			const entity = owner(context, entityByTypeId(Number(fields.entityTypeId)), fields.entityId);
			const { portal } = context;
			const id = nextId(portal.state, 'document');
			const createTime = portal.iso();
			const title = String(fields.title);
			portal.state.documents.push({
				id,
				entityTypeId: entity.entityTypeId,
				entityId: Number(fields.entityId),
				title,
				number: String(fields.number),
				region: String(fields.region),
				file: attachedFile(`${title}.docx`, String(fields.fileContent)),
				pdf: fields.pdfContent ? attachedFile(`${title}.pdf`, String(fields.pdfContent)) : undefined,
				createdBy: context.auth.user.ID,
				createTime,
			});
			const download = `${portal.url}/bitrix/services/main/ajax.php?action=documentgenerator.api.document.getfile&id=${id}`;
			return done({
				document: {
					id,
					title,
					number: String(fields.number),
					entityTypeId: String(entity.entityTypeId),
					entityId: String(fields.entityId),
					createTime,
					updateTime: createTime,
					downloadUrl: download,
					downloadUrlMachine: download,
					pdfUrl: fields.pdfContent ? `${download}&pdf=1` : null,
					imageUrl: null,
					publicUrl: null,
					stampsEnabled: false,
					isTransformationError: false,
				},
			});
		},
	},
};

/**
 * Bitrix24 REST docs, crm/documentgenerator/documents/crm_documentgenerator_document_list:
 * `filter` (e.g. entityTypeId, entityId), `select`, `order`, `start`; answers `{documents: […]}`.
 */
documentMethods['crm.documentgenerator.document.list'] = {
	scope: 'crm',
	handler: (context) => {
		const filter = param(context.params, 'filter');
		const wanted = isRecord(filter) ? filter : {};
		const rows = context.portal.state.documents.filter(
			(document) =>
				(wanted.entityTypeId === undefined || Number(wanted.entityTypeId) === document.entityTypeId) &&
				(wanted.entityId === undefined || Number(wanted.entityId) === document.entityId),
		);
		return done({
			documents: rows.map((document) => ({
				id: String(document.id),
				title: document.title,
				number: document.number,
				entityTypeId: String(document.entityTypeId),
				entityId: String(document.entityId),
				createTime: document.createTime,
			})),
		});
	},
};

export const timelineMethodTable: MethodTable = { ...timelineMethods, ...documentMethods };
