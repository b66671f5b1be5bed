import * as addComment from './addComment.operation';
import * as addLogMessage from './addLogMessage.operation';
import { resourceDescription } from '../../../shared/operation';

/** Timeline entries on CRM records (bitrix24-api.md §7.1). */
export const operations = { addComment, addLogMessage };

export const description = resourceDescription('timeline', operations, 'addComment');
