import * as create from './create.operation';
import * as findByExternalCode from './findByExternalCode.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as moveToStage from './moveToStage.operation';
import * as update from './update.operation';
import { resourceDescription } from '../../../shared/operation';

/** Smart invoices: crm.item.* with entityTypeId 31 (bitrix24-api.md §6). */
export const operations = { create, findByExternalCode, get, getMany, moveToStage, update };

export const description = resourceDescription('smartInvoice', operations, 'create');
