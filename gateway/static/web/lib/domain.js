// The platform's code lists and the state machines the UI mirrors to offer only allowed actions
// (the services decide; a refused step comes back as a 409 problem and is shown).

export const COMMUNITIES = ['huaguoshan', 'chiwan', 'shuiwan', 'yanshan', 'wenzhuyuan', 'haiyue', 'guiyuan'];
export const DEPARTMENTS = ['labour', 'health', 'city_management', 'civil_affairs', 'disability', 'housing',
  'public_security', 'fire', 'environment', 'market_regulation', 'emergency', 'justice', 'education', 'water'];
export const GRID_CATEGORIES = ['hazard_fire', 'hazard_building', 'hazard_electrical', 'hazard_gas', 'hazard_slope',
  'dispute_neighbour', 'dispute_property', 'dispute_labour', 'dispute_family', 'environment', 'public_order', 'other'];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'held', 'completed', 'no_show'];
export const INTAKE_CASE_STATUSES = ['open', 'in_progress', 'waiting_on_department', 'referred', 'resolved', 'closed'];
export const GRID_CASE_STATUSES = ['reported', 'accepted', 'in_progress', 'referred', 'escalated', 'resolved',
  'verified', 'closed'];
export const GRID_OPEN = ['reported', 'accepted', 'in_progress', 'referred', 'escalated'];
export const TENDER_STATUSES = ['draft', 'pending_approval', 'approved', 'published', 'evaluating', 'award_proposed',
  'awarded', 'contracted', 'cancelled'];
export const CONTRACT_STATUSES = ['draft', 'signing', 'active', 'amending', 'completed', 'terminated', 'cancelled'];
export const PARTIES = ['committee', 'subdistrict', 'resident_survey', 'third_party'];
export const SIGNING_PARTIES = ['subdistrict', 'committee', 'provider'];

/** Ticket steps the desk offers in each status (intake's TICKET_TRANSITIONS). */
export const TICKET_ACTIONS = {
  called: ['start', 'recall', 'no-show', 'hold', 'transfer'],
  serving: ['complete', 'hold', 'transfer'],
  held: ['resume'],
};

/** Intake case steps by status (intake's CASE_TRANSITIONS); all are center staff's. */
export const INTAKE_CASE_ACTIONS = {
  open: ['start', 'refer', 'resolve'],
  in_progress: ['await-department', 'refer', 'resolve'],
  waiting_on_department: ['department-replied', 'refer', 'resolve'],
  referred: ['resolve'],
  resolved: ['reopen', 'close'],
  closed: [],
};

/** Grid case steps: the statuses they start from and who may take them (docs/grid.md). */
export const GRID_ACTIONS = {
  accept: { from: ['reported'], roles: ['center_staff', 'grid_worker'] },
  start: { from: ['accepted', 'referred', 'escalated'], roles: ['center_staff', 'grid_worker', 'department', 'subdistrict_officer'] },
  resolve: { from: ['accepted', 'in_progress', 'referred', 'escalated'], roles: ['center_staff', 'grid_worker', 'department', 'subdistrict_officer'] },
  verify: { from: ['resolved'], roles: ['center_staff', 'committee_member'] },
  close: { from: ['verified'], roles: ['center_staff'] },
  reject: { from: ['reported', 'accepted'], roles: ['center_staff'] },
  mark_duplicate: { from: ['reported', 'accepted'], roles: ['center_staff', 'grid_worker'] },
  refer: { from: ['reported', 'accepted', 'in_progress', 'escalated'], roles: ['center_staff'] },
  escalate: { from: ['reported', 'accepted', 'in_progress', 'referred'], roles: ['center_staff', 'committee_member', 'grid_worker'] },
  reopen: { from: ['resolved', 'verified', 'closed'], roles: [], reporter: true },
};

/** The party a role scores as in an evaluation round. */
export const SCORING_PARTY = {
  committee_member: 'committee',
  subdistrict_officer: 'subdistrict',
  evaluator: 'third_party',
};

/** The contract party a role signs for. */
export const SIGNING_ROLE = {
  subdistrict: 'subdistrict_officer',
  committee: 'committee_member',
  provider: 'provider_signatory',
};

/** The evaluation service's metric catalogue and scoring formulas (docs/evaluation.md). */
export const METRICS = ['tickets_served', 'wait_p50_seconds', 'wait_p90_seconds', 'satisfaction_mean',
  'satisfaction_count', 'cases_resolved', 'case_on_time_rate', 'reopen_rate', 'inspections_done',
  'inspections_planned', 'inspection_coverage', 'milestones_due', 'milestones_met', 'milestone_met_rate'];
export const FORMULAS = ['linear', 'inverse_linear', 'ratio'];
