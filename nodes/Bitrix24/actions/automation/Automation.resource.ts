import * as deleteTrigger from './deleteTrigger.operation';
import * as fireTrigger from './fireTrigger.operation';
import * as fireWebhookTrigger from './fireWebhookTrigger.operation';
import * as listTriggers from './listTriggers.operation';
import * as registerTrigger from './registerTrigger.operation';
import * as startWorkflow from './startWorkflow.operation';
import { resourceDescription } from '../../../shared/operation';

/** CRM automation: app triggers, the UI-configured webhook trigger, workflows (bitrix24-api.md §8). */
export const operations = {
	deleteTrigger,
	fireTrigger,
	fireWebhookTrigger,
	listTriggers,
	registerTrigger,
	startWorkflow,
};

export const description = resourceDescription('automation', operations, 'fireWebhookTrigger');
