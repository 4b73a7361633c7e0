package storetest

import (
	"fmt"
	"sync"
	"testing"

	parley "github.com/parley-dev/parley"
)

// concurrently runs fn n times at once and returns the errors it returned.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// testEnsureUserUnderConcurrency: 50 transactions ensure one new identity's
// User at once; all succeed, one creates it, all see the same User.
func testEnsureUserUnderConcurrency(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	const n = 50
	users := make([]*parley.User, n)
	created := make([]bool, n)
	errs := concurrently(n, func(i int) error {
		return s.Write(ctx, func(tx parley.Tx) (err error) {
			users[i] = &parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
				Identity: "everyone", Attributes: "{}", DateCreated: epoch, DateUpdated: epoch}
			created[i], err = tx.EnsureUser(users[i])
			return err
		})
	})
	creators := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("EnsureUser %d: %v", i, err)
		}
		if created[i] {
			creators++
		}
		if users[i].SID != users[0].SID || users[i].Seq != users[0].Seq {
			t.Errorf("EnsureUser %d returned %s (seq %d), another %s (seq %d)", i, users[i].SID, users[i].Seq, users[0].SID, users[0].Seq)
		}
	}
	if creators != 1 {
		t.Errorf("%d transactions report creating the user, want 1", creators)
	}
}

// testLockedConversationCountsAdds: 50 transactions each lock a conversation,
// check its participant count against a limit of 10 and add one; the lock
// makes each see the others' adds, so exactly 10 join.
func testLockedConversationCountsAdds(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	const n, limit = 50, 10
	full := parley.Errorf(parley.CodeInvalidParameter, "full")
	errs := concurrently(n, func(i int) error {
		return s.Write(ctx, func(tx parley.Tx) error {
			locked, err := tx.LockConversation(c.SID)
			if err != nil {
				return err
			}
			if locked.MembersCount >= limit {
				return full
			}
			return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant),
				AccountSID: f.acct.SID, ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp(fmt.Sprint("p", i)),
				Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
		})
	})
	joined := 0
	for _, err := range errs {
		switch err {
		case nil:
			joined++
		case full:
		default:
			t.Fatalf("add: %v", err)
		}
	}
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Conversation(f.svc.SID, c.SID)
		if err == nil && (joined != limit || got.MembersCount != limit) {
			t.Errorf("%d adds succeeded and members_count is %d, want %d", joined, got.MembersCount, limit)
		}
		return err
	})
}

// testChildrenOfDeletedConversation: a participant, invite or conversation
// webhook whose conversation is gone (deleted by a transaction that
// committed after the caller read it) is refused as not found, not as a
// constraint failure.
func testChildrenOfDeletedConversation(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	for name, create := range map[string]func(tx parley.Tx) error{
		"participant": func(tx parley.Tx) error {
			return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp("late"), Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
		},
		"invite": func(tx parley.Tx) error {
			return tx.CreateInvite(&parley.Invite{SID: parley.NewSID(parley.PrefixInvite), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, ChannelSID: c.SID, Identity: "late", DateCreated: epoch, DateUpdated: epoch})
		},
		"scoped webhook": func(tx parley.Tx) error {
			return tx.CreateScopedWebhook(&parley.ScopedWebhook{SID: parley.NewSID(parley.PrefixScopedWebhook), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, ConversationSID: c.SID, Target: "webhook", Filters: []string{}, Triggers: []string{},
				DateCreated: epoch, DateUpdated: epoch})
		},
	} {
		if err := s.Write(ctx, create); parley.ErrorCode(err) != parley.CodeNotFound {
			t.Errorf("%s of a deleted conversation: error = %v, want code %d", name, err, parley.CodeNotFound)
		}
	}
}

// Creates inside a service that a committed transaction deleted after the
// creator read it fail on the foreign key; the store answers the service's
// not-found, never a raw driver error (a 500 at the API).
func testChildrenOfDeletedService(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	for name, create := range map[string]func(tx parley.Tx) error{
		"conversation": func(tx parley.Tx) error {
			return tx.CreateConversation(&parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, Attributes: "{}", State: parley.StateActive, DateCreated: epoch, DateUpdated: epoch})
		},
		"user": func(tx parley.Tx) error {
			return tx.CreateUser(&parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, Identity: "late", Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
		},
		"role": func(tx parley.Tx) error {
			return tx.CreateRole(&parley.Role{SID: parley.NewSID(parley.PrefixRole), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, FriendlyName: "late", Type: parley.RoleTypeService, Permissions: []string{},
				DateCreated: epoch, DateUpdated: epoch})
		},
		"binding": func(tx parley.Tx) error {
			return tx.CreateBinding(&parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, Endpoint: "late", Identity: "late", BindingType: "fcm", DateCreated: epoch, DateUpdated: epoch})
		},
	} {
		if err := s.Write(ctx, create); parley.ErrorCode(err) != parley.CodeNotFound {
			t.Errorf("%s in a deleted service: error = %v, want code %d", name, err, parley.CodeNotFound)
		}
	}
}
