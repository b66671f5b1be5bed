/**
 * Automation (bitrix24-api.md §8): the UI-configured webhook trigger (works with webhooks), app
 * triggers and robots (admin + application context), and workflows on contacts/companies.
 */
import { randomBytes } from 'node:crypto';

import { done, isRecord, param, positiveInt, type CallContext, type MethodTable } from '../context';
import { findRecord } from '../entities';
import { B24Error, crmError } from '../errors';
import { ENTITIES, entityByTypeId, type EntityDescriptor } from '../fields';
import { listPlain } from '../listQuery';
import { nextId } from '../state';

function fireOn(
	context: CallContext,
	entity: EntityDescriptor,
	entityId: number,
	firing: { kind: 'webhook-trigger' | 'app-trigger'; code: string | null; target?: string },
): void {
	context.portal.state.triggerFirings.push({
		...firing,
		entityTypeId: entity.entityTypeId,
		entityId,
		byUserId: context.auth.user.ID,
		at: context.portal.iso(),
	});
}

/**
 * `target` is TYPENAME_ID. The mirrored core splits it on '_' and resolves only the first part,
 * so SMART_INVOICE_5 gives "Target is not found." (§8 VERIFY; switchable with an option).
 * CONTACT_x / COMPANY_x are accepted; the core fans them out to the client's deals, which the
 * sandbox does not model, so the firing is recorded on the contact/company itself.
 */
function webhookTrigger(context: CallContext) {
	const target = String(param(context.params, 'target') ?? '').trim();
	if (target === '') throw crmError('Target is not set.');
	const match = /^([A-Za-z]+(?:_[A-Za-z]+)*)_(\d+)$/.exec(target);
	if (!match) throw crmError('Incorrect target format.');
	const fullTypeName = match[1].toUpperCase();
	const typeName =
		context.portal.config.smartInvoiceWebhookTrigger === 'fires' ? fullTypeName : fullTypeName.split('_')[0];
	const entity = Object.values(ENTITIES).find((candidate) => candidate.name === typeName);
	const knownElsewhere = ['LEAD', 'DEAL', 'QUOTE', 'ORDER'].includes(typeName);
	if (!entity && !knownElsewhere) throw crmError('Target is not found.');
	const entityId = Number(match[2]);
	if (!entity || !findRecord(context.portal, entity, entityId)) {
		throw new B24Error(403, 'ACCESS_DENIED', 'Access denied! There are no permissions to update the entity.');
	}
	const code = param(context.params, 'code');
	fireOn(context, entity, entityId, {
		kind: 'webhook-trigger',
		code: code === undefined ? null : String(code),
		target,
	});
	return done(true);
}

const TRIGGER_CODE = /^[a-z0-9.\-_]+$/i;

function triggerCode(context: CallContext): string {
	const code = String(param(context.params, 'CODE') ?? '');
	if (!TRIGGER_CODE.test(code)) throw crmError('Incorrect trigger code.');
	return code;
}

const appTrigger = { scope: 'crm', appOnly: 'ACCESS_DENIED', adminOnly: true } as const;

const triggerMethods: MethodTable = {
	'crm.automation.trigger': { scope: 'crm', handler: webhookTrigger },
	'crm.automation.trigger.add': {
		...appTrigger,
		handler: (context) => {
			const code = triggerCode(context);
			const name = String(param(context.params, 'NAME') ?? '');
			if (name === '') throw crmError('Empty trigger name.');
			const existing = context.portal.state.appTriggers.find((trigger) => trigger.CODE === code);
			// Adding an existing CODE only renames it (§8).
			if (existing) existing.NAME = name;
			else context.portal.state.appTriggers.push({ CODE: code, NAME: name });
			return done(true);
		},
	},
	'crm.automation.trigger.list': {
		...appTrigger,
		handler: (context) => done(context.portal.state.appTriggers.map(({ NAME, CODE }) => ({ NAME, CODE }))),
	},
	'crm.automation.trigger.delete': {
		...appTrigger,
		handler: (context) => {
			const code = triggerCode(context);
			const { state } = context.portal;
			const index = state.appTriggers.findIndex((trigger) => trigger.CODE === code);
			if (index < 0) throw crmError('Trigger not found.');
			state.appTriggers.splice(index, 1);
			return done(true);
		},
	},
	'crm.automation.trigger.execute': {
		...appTrigger,
		handler: (context) => {
			const code = triggerCode(context);
			if (!context.portal.state.appTriggers.some((trigger) => trigger.CODE === code))
				throw crmError('Trigger not found.');
			const entity = entityByTypeId(Number(param(context.params, 'OWNER_TYPE_ID')));
			const ownerId = positiveInt(param(context.params, 'OWNER_ID'));
			if (!entity || ownerId === undefined || !findRecord(context.portal, entity, ownerId))
				throw crmError('Owner not found.');
			// "Only sends an event": no stage change is confirmed (§8).
			fireOn(context, entity, ownerId, { kind: 'app-trigger', code });
			return done(true);
		},
	},
};

/** DOCUMENT_ID like ['crm', 'CCrmDocumentContact', 'CONTACT_777'] (§8). */
function documentTarget(
	context: CallContext,
	documentId: unknown,
): { documentType: string; entity: EntityDescriptor; id: number } {
	const parts = Array.isArray(documentId) ? documentId : isRecord(documentId) ? Object.values(documentId) : [];
	const match = parts.length === 3 ? /^([A-Z_]+)_(\d+)$/.exec(String(parts[2])) : null;
	if (!match) throw crmError('Wrong DOCUMENT_ID!');
	const entity = Object.values(ENTITIES).find((candidate) => candidate.name === match[1]);
	if (!entity) throw crmError('Incorrect document type!');
	const id = Number(match[2]);
	if (!findRecord(context.portal, entity, id)) throw crmError('Wrong DOCUMENT_ID!');
	return { documentType: String(parts[1]), entity, id };
}

const workflowMethods: MethodTable = {
	'bizproc.workflow.start': {
		scope: 'bizproc',
		adminOnly: true,
		handler: (context) => {
			const templateId = positiveInt(param(context.params, 'TEMPLATE_ID'));
			if (templateId === undefined) throw new B24Error(400, 'ERROR_WRONG_WORKFLOW_ID', 'Empty TEMPLATE_ID');
			const template = context.portal.state.bizprocTemplates.find((candidate) => candidate.ID === templateId);
			if (!template) throw new B24Error(400, 'ERROR_WRONG_WORKFLOW_ID', 'Template not found');
			const documentId = param(context.params, 'DOCUMENT_ID');
			const target = documentTarget(context, documentId);
			if (target.documentType !== template.DOCUMENT_TYPE[1] || target.entity.name !== template.DOCUMENT_TYPE[2]) {
				throw crmError('Template type and DOCUMENT_ID mismatch!');
			}
			const id = `${randomBytes(6).toString('hex')}.${nextId(context.portal.state, 'workflow')}`;
			context.portal.state.workflows.push({
				id,
				templateId,
				documentId: Array.isArray(documentId) ? documentId : Object.values(documentId as object),
				parameters: param(context.params, 'PARAMETERS') ?? null,
				startedBy: context.auth.user.ID,
				at: context.portal.iso(),
			});
			return done(id);
		},
	},
	'bizproc.workflow.template.list': {
		scope: 'bizproc',
		handler: (context) => {
			const page = listPlain(
				context.portal.state.bizprocTemplates,
				['ID', 'MODULE_ID', 'ENTITY', 'NAME', 'AUTO_EXECUTE'],
				{
					filter: param(context.params, 'filter'),
					order: param(context.params, 'order'),
					start: param(context.params, 'start'),
				},
			);
			return { result: page.rows, total: page.total, next: page.next };
		},
	},
};

const robot = { scope: 'bizproc', appOnly: 'ACCESS_DENIED', adminOnly: true } as const;

const robotMethods: MethodTable = {
	'bizproc.robot.add': {
		...robot,
		handler: (context) => {
			const code = String(param(context.params, 'CODE') ?? '');
			const handler = String(param(context.params, 'HANDLER') ?? '');
			const name = param(context.params, 'NAME');
			if (!code || !handler || !name)
				throw new B24Error(400, 'ERROR_ACTIVITY_VALIDATION_FAILURE', 'CODE, HANDLER and NAME are required');
			const { robots } = context.portal.state;
			if (robots.some((existing) => existing.CODE === code))
				throw new B24Error(400, 'ERROR_ACTIVITY_ALREADY_INSTALLED', 'Activity or Robot already installed!');
			robots.push({
				CODE: code,
				HANDLER: handler,
				NAME: name,
				AUTH_USER_ID: positiveInt(param(context.params, 'AUTH_USER_ID')) ?? context.auth.user.ID,
				USE_SUBSCRIPTION: String(param(context.params, 'USE_SUBSCRIPTION') ?? ''),
				PROPERTIES: param(context.params, 'PROPERTIES') ?? null,
				RETURN_PROPERTIES: param(context.params, 'RETURN_PROPERTIES') ?? null,
				DOCUMENT_TYPE: param(context.params, 'DOCUMENT_TYPE') ?? null,
			});
			return done(true);
		},
	},
	'bizproc.robot.list': {
		...robot,
		handler: (context) => done(context.portal.state.robots.map((entry) => entry.CODE)),
	},
	'bizproc.robot.delete': {
		...robot,
		handler: (context) => {
			const code = String(param(context.params, 'CODE') ?? '');
			const { robots } = context.portal.state;
			const index = robots.findIndex((entry) => entry.CODE === code);
			if (index < 0) throw new B24Error(400, 'ERROR_ACTIVITY_NOT_FOUND', 'Activity or Robot not found!');
			robots.splice(index, 1);
			return done(true);
		},
	},
};

export const automationMethods: MethodTable = { ...triggerMethods, ...workflowMethods, ...robotMethods };
