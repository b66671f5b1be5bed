import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmCreate } from '../shared/crmRecordOperations';

export const { option, description, execute } = crmCreate(CRM_ENTITIES.company);
