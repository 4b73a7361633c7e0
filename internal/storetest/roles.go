package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func (f fixture) role(t *testing.T, s parley.Store, name, typ string, perms []string, n int) *parley.Role {
	t.Helper()
	r := &parley.Role{SID: parley.NewSID(parley.PrefixRole), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		FriendlyName: name, Type: typ, Permissions: perms, DateCreated: stamp(n), DateUpdated: stamp(n + 1)}
	write(t, s, func(tx parley.Tx) error { return tx.CreateRole(r) })
	if r.Seq == 0 {
		t.Errorf("role %s created without a seq", name)
	}
	return r
}

func testRoles(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	r1 := f.role(t, s, "writer", parley.RoleTypeConversation, []string{"sendMessage", "leaveConversation"}, 1)
	r2 := f.role(t, s, "admin", parley.RoleTypeService, nil, 2)
	r3 := f.role(t, s, "reader", parley.RoleTypeConversation, []string{}, 3)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Role(f.svc.SID, r1.SID)
		if err != nil {
			return err
		}
		same(t, "role", got, &parley.Role{Seq: r1.Seq, SID: r1.SID, AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			FriendlyName: "writer", Type: parley.RoleTypeConversation, Permissions: []string{"sendMessage", "leaveConversation"},
			DateCreated: ms(stamp(1)), DateUpdated: ms(stamp(2))})
		got, err = tx.Role(f.svc.SID, r2.SID)
		if err != nil {
			return err
		}
		if got.Permissions == nil || len(got.Permissions) != 0 {
			t.Errorf("role created without permissions reads back %#v, want an empty list", got.Permissions)
		}
		return nil
	})
	gone(t, s, "role of another service", func(tx parley.Tx) error { _, err := tx.Role(other.svc.SID, r1.SID); return err })
	gone(t, s, "unknown role", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, parley.NewSID(parley.PrefixRole)); return err })
	checkPaging(t, s, "roles", []string{r1.SID, r2.SID, r3.SID},
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Role], error) {
			return tx.ListRoles(f.svc.SID, p)
		},
		func(r *parley.Role) (string, int64) { return r.SID, r.Seq })
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListRoles(other.svc.SID, parley.PageRequest{Size: 10})
		if err == nil && len(page.Items) != 0 {
			t.Errorf("another service lists %d roles", len(page.Items))
		}
		return err
	})

	// UpdateRole writes the permissions and date_updated only.
	write(t, s, func(tx parley.Tx) error {
		changed := *r1
		changed.FriendlyName, changed.Type = "renamed", parley.RoleTypeService
		changed.Permissions, changed.DateUpdated = []string{"deleteOwnMessage"}, stamp(9)
		return tx.UpdateRole(&changed)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Role(f.svc.SID, r1.SID)
		if err != nil {
			return err
		}
		same(t, "role after update", got, &parley.Role{Seq: r1.Seq, SID: r1.SID, AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			FriendlyName: "writer", Type: parley.RoleTypeConversation, Permissions: []string{"deleteOwnMessage"},
			DateCreated: ms(stamp(1)), DateUpdated: ms(stamp(9))})
		return nil
	})
	missing := *r1
	missing.SID = parley.NewSID(parley.PrefixRole)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateRole(&missing) }), parley.CodeNotFound)

	// A role is in use while a user, a participant or a service default refers to it.
	inUse := func(r *parley.Role) bool {
		t.Helper()
		var used bool
		read(t, s, func(tx parley.Tx) (err error) { used, err = tx.RoleInUse(f.svc.SID, r.SID); return err })
		return used
	}
	if inUse(r1) || inUse(r2) || inUse(r3) {
		t.Errorf("fresh roles in use: %v %v %v", inUse(r1), inUse(r2), inUse(r3))
	}
	write(t, s, func(tx parley.Tx) error {
		return tx.CreateUser(&parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			Identity: "u", Attributes: "{}", RoleSID: &r2.SID, DateCreated: epoch, DateUpdated: epoch})
	})
	c := f.conversation(t, s, nil)
	p := f.participant(t, s, c, strp("p"), nil)
	write(t, s, func(tx parley.Tx) error { p.RoleSID = &r1.SID; return tx.UpdateParticipant(p) })
	svc := *f.svc
	svc.DefaultConversationCreatorRoleSID = r3.SID
	write(t, s, func(tx parley.Tx) error { return tx.UpdateServiceConfiguration(&svc) })
	if !inUse(r1) || !inUse(r2) || !inUse(r3) {
		t.Errorf("roles in use: %v %v %v, want all", inUse(r1), inUse(r2), inUse(r3))
	}
	read(t, s, func(tx parley.Tx) error {
		used, err := tx.RoleInUse(other.svc.SID, r1.SID)
		if used {
			t.Error("a role is in use in another service")
		}
		return err
	})

	write(t, s, func(tx parley.Tx) error { return tx.DeleteRole(f.svc.SID, r1.SID) })
	gone(t, s, "deleted role", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, r1.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteRole(f.svc.SID, r1.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteRole(other.svc.SID, r2.SID) }), parley.CodeNotFound)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "role of a deleted service", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, r2.SID); return err })
}
