import * as getCurrent from './getCurrent.operation';
import * as getMany from './getMany.operation';
import * as sendNotification from './sendNotification.operation';
import { resourceDescription } from '../../../shared/operation';

export const operations = { getCurrent, getMany, sendNotification };

export const description = resourceDescription('user', operations, 'getMany');
