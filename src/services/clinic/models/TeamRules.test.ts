import { describe, expect, it } from 'vitest';
import { keepsAnOwner, ownersFirst, teamEditRights, type TeamMemberDraft } from './TeamRules';

const owner: TeamMemberDraft = { id: 'o', role: 'owner', active: true };
const owner2: TeamMemberDraft = { id: 'o2', role: 'owner', active: true };
const admin: TeamMemberDraft = { id: 'a', role: 'admin', active: true };
const doc: TeamMemberDraft = { id: 'd', role: 'practitioner', active: true };

describe('teamEditRights', () => {
  it('lets only an owner or an admin edit', () => {
    expect(teamEditRights('practitioner', doc, [owner, doc])).toEqual({
      editable: false,
      reason: 'not_admin',
    });
    expect(teamEditRights(null, doc, [owner, doc]).editable).toBe(false);
    expect(teamEditRights('admin', doc, [owner, admin, doc])).toMatchObject({
      editable: true,
      canDeactivate: true,
    });
  });

  it('only an owner changes an owner or makes one', () => {
    expect(teamEditRights('admin', owner, [owner, owner2, admin])).toEqual({
      editable: false,
      reason: 'owner_only',
    });
    const byAdmin = teamEditRights('admin', doc, [owner, admin, doc]);
    expect(byAdmin.editable && byAdmin.roles).toEqual(['admin', 'practitioner', 'receptionist']);
    const byOwner = teamEditRights('owner', doc, [owner, doc]);
    expect(byOwner.editable && byOwner.roles).toEqual(['owner', 'admin', 'practitioner', 'receptionist']);
  });

  it('never the last active owner: no other role, no deactivation', () => {
    expect(teamEditRights('owner', owner, [owner, doc])).toEqual({
      editable: true,
      roles: ['owner'],
      canDeactivate: false,
      lastOwner: true,
    });
    // with a second active owner either may change; once one is drafted away, the other is locked
    expect(teamEditRights('owner', owner, [owner, owner2])).toMatchObject({
      canDeactivate: true,
      lastOwner: false,
    });
    const drafted = [owner, { ...owner2, role: 'admin' as const }];
    expect(teamEditRights('owner', owner, drafted)).toMatchObject({ canDeactivate: false, lastOwner: true });
    // an inactive owner does not count
    expect(teamEditRights('owner', owner, [owner, { ...owner2, active: false }])).toMatchObject({
      lastOwner: true,
    });
  });
});

describe('keepsAnOwner', () => {
  it('needs one active owner', () => {
    expect(keepsAnOwner([owner, doc])).toBe(true);
    expect(keepsAnOwner([{ ...owner, active: false }, doc])).toBe(false);
    expect(keepsAnOwner([admin, doc])).toBe(false);
  });
});

describe('ownersFirst', () => {
  it('applies whoever becomes an owner (or active again) before any demotion, else keeps the order', () => {
    const changes = [
      { memberId: 'me', role: 'admin' as const },
      { memberId: 'x', room: '2' },
      { memberId: 'b', role: 'owner' as const },
      { memberId: 'c', active: true },
    ];
    expect(ownersFirst(changes).map((c) => c.memberId)).toEqual(['b', 'c', 'me', 'x']);
  });
});
