import * as bind from './bind.operation';
import * as list from './list.operation';
import * as renderPage from './renderPage.operation';
import * as unbind from './unbind.operation';
import { resourceDescription } from '../../../shared/operation';

/** Widgets: buttons and tabs of a local application in Bitrix24 (bitrix24-api.md §9). */
export const operations = { bind, list, renderPage, unbind };

export const description = resourceDescription('placement', operations, 'bind');
