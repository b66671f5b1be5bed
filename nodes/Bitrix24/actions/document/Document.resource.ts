import * as upload from './upload.operation';
import { resourceDescription } from '../../../shared/operation';

/** CRM documents (bitrix24-api.md §7.2). */
export const operations = { upload };

export const description = resourceDescription('document', operations, 'upload');
