import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmUpsert } from '../shared/crmRecordUpsert';

export const { option, description, executeBatch } = crmUpsert(CRM_ENTITIES.contact);
