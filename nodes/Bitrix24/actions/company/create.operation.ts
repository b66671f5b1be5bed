import { CRM_ENTITIES } from '../shared/crmRecordEntity';
import { crmCreate } from '../shared/crmRecordOperations';

export const { option, description, execute } = crmCreate(CRM_ENTITIES.company);
