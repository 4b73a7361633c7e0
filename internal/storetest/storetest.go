// Package storetest is the storage conformance suite: every store method and
// every rule that lives in SQL (uniqueness, cascades, index assignment,
// keyset paging order), run against each engine by that engine's tests.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

// Opener opens a fresh, empty, migrated store for one test.
type Opener func(t *testing.T) parley.Store

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, parley.Store)
	}{
		{"Accounts", testAccounts},
		{"Subaccounts", testSubaccounts},
		{"APIKeys", testAPIKeys},
		{"PhoneNumbers", testPhoneNumbers},
		{"BindingPairs", testBindingPairs},
		{"PurgeAccountData", testPurgeAccountData},
		{"Services", testServices},
		{"Conversations", testConversations},
		{"UniqueNames", testUniqueNames},
		{"Participants", testParticipants},
		{"Messages", testMessages},
		{"MessageIndexesUnderConcurrency", testConcurrentIndexes},
		{"ReserveMessageIndex", testReserveMessageIndex},
		{"ReserveMessageIndexBy", testReserveMessageIndexBy},
		{"ReservationsSeeConversationChanges", testReservationsSeeConversationChanges},
		{"ReadAheadReservations", testReadAheadReservations},
		{"MixedOutcomesUnderConcurrency", testMixedOutcomes},
		{"Users", testUsers},
		{"EnsureUserUnderConcurrency", testEnsureUserUnderConcurrency},
		{"LockedConversationCountsAdds", testLockedConversationCountsAdds},
		{"ChildrenOfDeletedConversation", testChildrenOfDeletedConversation},
		{"ChildrenOfDeletedService", testChildrenOfDeletedService},
		{"KeysetPaging", testKeysetPaging},
		{"Cascades", testCascades},
		{"RollbackLeavesNothing", testRollback},
		{"Roles", testRoles},
		{"ServiceConfiguration", testServiceConfiguration},
		{"Memberships", testMemberships},
		{"CountMessagesAfter", testCountMessagesAfter},
		{"ChatService", testChatService},
		{"Channels", testChannels},
		{"ChannelTypesAndCounters", testChannelTypesAndCounters},
		{"Members", testMembers},
		{"Invites", testInvites},
		{"ChatUsers", testChatUsers},
		{"WebhookConfigs", testWebhookConfigs},
		{"NotificationConfigs", testNotificationConfigs},
		{"ScopedWebhooks", testScopedWebhooks},
		{"Credentials", testCredentials},
		{"AddressConfigs", testAddressConfigs},
		{"Bindings", testBindings},
		{"DeliveryReceipts", testDeliveryReceipts},
		{"VirtualClock", testVirtualClock},
		{"Now", testNow},
		{"Text", testText},
		{"UnstorableText", testUnstorableText},
		{"JobErrorText", testJobErrorText},
		{"JobLeases", testJobLeases},
		{"SyncEventIDs", testSyncEventIDs},
		{"SyncEventsOfFailedWrites", testSyncEventsOfFailedWrites},
		{"SyncEventRetention", testSyncEventRetention},
		{"SyncDocumentEvents", testSyncDocumentEvents},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

// fixture is an account with one service, created through the store.
type fixture struct {
	acct *parley.Account
	svc  *parley.Service
}

var epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func newFixture(t *testing.T, s parley.Store) fixture { return newFixtureAt(t, s, epoch) }

// newFixtureAt creates the fixture's account as of created.
func newFixtureAt(t *testing.T, s parley.Store, created time.Time) fixture {
	t.Helper()
	f := fixture{
		acct: &parley.Account{SID: parley.NewSID(parley.PrefixAccount), AuthToken: "token", FriendlyName: "test",
			DefaultServiceSID: parley.NewSID(parley.PrefixService), DateCreated: created, DateUpdated: created},
	}
	f.svc = &parley.Service{SID: f.acct.DefaultServiceSID, AccountSID: f.acct.SID, FriendlyName: "svc",
		DefaultConversationCreatorRoleSID: parley.NewSID(parley.PrefixRole), DefaultConversationRoleSID: parley.NewSID(parley.PrefixRole),
		DefaultChatServiceRoleSID: parley.NewSID(parley.PrefixRole), DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error {
		if err := tx.CreateAccount(f.acct); err != nil {
			return err
		}
		return tx.CreateService(f.svc)
	})
	return f
}

func write(t *testing.T, s parley.Store, fn func(parley.Tx) error) {
	t.Helper()
	if err := s.Write(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, s parley.Store, fn func(parley.Tx) error) {
	t.Helper()
	if err := s.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// wantCode checks that err carries the Twilio code.
func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	if got := parley.ErrorCode(err); err == nil || got != code {
		t.Errorf("error = %v (code %d), want code %d", err, got, code)
	}
}

func (f fixture) conversation(t *testing.T, s parley.Store, unique *string) *parley.Conversation {
	t.Helper()
	c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		UniqueName: unique, Attributes: "{}", State: parley.StateActive, Type: parley.ChannelPrivate,
		DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateConversation(c) })
	return c
}

func (f fixture) message(t *testing.T, s parley.Store, c *parley.Conversation, body string) *parley.Message {
	t.Helper()
	var m *parley.Message
	write(t, s, func(tx parley.Tx) error {
		idx, err := tx.NextMessageIndex(c.SID)
		if err != nil {
			return err
		}
		m = &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			ConversationSID: c.SID, Index: idx, Author: "system", Body: &body, Attributes: "{}", DateCreated: epoch, DateUpdated: epoch}
		return tx.CreateMessage(m)
	})
	return m
}

func strp(s string) *string { return &s }

func testConcurrentIndexes(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	const writers, each = 50, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				errs <- s.Write(ctx, func(tx parley.Tx) error {
					idx, err := tx.NextMessageIndex(c.SID)
					if err != nil {
						return err
					}
					body := fmt.Sprint(idx)
					return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID,
						ServiceSID: f.svc.SID, ConversationSID: c.SID, Index: idx, Author: "system", Body: &body,
						Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write surfaced an error: %v", err)
		}
	}
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListMessages(c.SID, parley.PageRequest{Size: writers * each})
		if err != nil {
			return err
		}
		if len(page.Items) != writers*each || page.More {
			t.Fatalf("got %d messages (more=%v), want %d", len(page.Items), page.More, writers*each)
		}
		for i, m := range page.Items {
			if m.Index != int64(i) {
				t.Fatalf("position %d has index %d: not contiguous", i, m.Index)
			}
		}
		return nil
	})
}

// testMixedOutcomes: among concurrent writes (which SQLite commits in
// groups), the failing ones leave nothing and the others all commit.
func testMixedOutcomes(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	const writers, names = 30, 10
	errs := concurrentWrites(s, writers, func(tx parley.Tx, i int) error {
		name := fmt.Sprint("room-", i%names)
		return tx.CreateConversation(&parley.Conversation{SID: parley.NewSID(parley.PrefixConversation),
			AccountSID: f.acct.SID, ServiceSID: f.svc.SID, UniqueName: &name, Attributes: "{}",
			State: parley.StateActive, DateCreated: epoch, DateUpdated: epoch})
	})
	failed := 0
	for _, err := range errs {
		if err != nil {
			wantCode(t, err, parley.CodeConversationExists)
			failed++
		}
	}
	if failed != writers-names {
		t.Errorf("%d writes failed, want %d", failed, writers-names)
	}
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListConversations(f.svc.SID, parley.ConversationFilter{}, parley.PageRequest{Size: 100})
		if err == nil && len(page.Items) != names {
			t.Errorf("%d conversations committed, want %d", len(page.Items), names)
		}
		return err
	})
}

// concurrentWrites runs n writes at once, write i calling fn with i, and
// returns each one's outcome: the load that makes SQLite and PostgreSQL
// commit writes in groups.
func concurrentWrites(s parley.Store, n int, fn func(tx parley.Tx, i int) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(ctx, func(tx parley.Tx) error { return fn(tx, i) })
		}()
	}
	wg.Wait()
	return errs
}
