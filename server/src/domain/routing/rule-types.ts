import type { RuleAction, RuleCondition } from '@autocrm/shared';

// The rule language lives in shared/src/schemas/rules.ts (the API declares the same schemas); these are
// the server's names for it.
export {
  AUTOMATION_RULE_ACTION_TYPES as AUTOMATION_ACTION_TYPES,
  ROUTING_RULE_ACTION_TYPES as ROUTING_ACTION_TYPES,
  RULE_ACTION_SCHEMAS as ACTION_SCHEMAS,
  RULE_ACTION_TYPES as ACTION_TYPES,
  RULE_CONDITION_FIELDS as CONDITION_FIELDS,
  RULE_CONDITION_SCHEMAS as CONDITION_SCHEMAS,
  type RuleActionType as ActionType,
  type RuleConditionField as ConditionField,
} from '@autocrm/shared';

export type Condition = RuleCondition;
export type Action = RuleAction;

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
}
