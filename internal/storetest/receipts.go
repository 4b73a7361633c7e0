package storetest

import (
	"fmt"
	"testing"

	parley "github.com/parley-dev/parley"
)

func testDeliveryReceipts(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	m := f.message(t, s, c, "hello")
	m2 := f.message(t, s, c, "again")
	quiet := f.message(t, s, c, "no receipts")
	var ps []*parley.Participant
	for i := 0; i < 3; i++ {
		ps = append(ps, f.participant(t, s, c, nil, strp(fmt.Sprint("+1555000000", i))))
	}
	receipt := func(msg *parley.Message, p *parley.Participant, status string, channel *string, code, n int) *parley.DeliveryReceipt {
		r := &parley.DeliveryReceipt{SID: parley.NewSID(parley.PrefixDeliveryReceipt), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			ConversationSID: c.SID, MessageSID: msg.SID, ParticipantSID: p.SID, ChannelMessageSID: channel, Status: status,
			ErrorCode: code, DateCreated: stamp(n), DateUpdated: stamp(n)}
		write(t, s, func(tx parley.Tx) error { return tx.UpsertDeliveryReceipt(r) })
		return r
	}
	stored := func(r *parley.DeliveryReceipt) *parley.DeliveryReceipt {
		v := *r
		v.DateCreated, v.DateUpdated = ms(r.DateCreated), ms(r.DateUpdated)
		return &v
	}
	// returned is what an upsert fills in from the stored row.
	returned := func(r *parley.DeliveryReceipt) []any {
		return []any{r.SID, r.Seq, ms(r.DateCreated), r.ChannelMessageSID}
	}
	r0 := receipt(m, ps[0], parley.DeliverySent, strp("SM0"), 0, 1)
	first := *r0
	r1 := receipt(m, ps[1], parley.DeliverySent, nil, 0, 2)
	r2 := receipt(m, ps[2], parley.DeliveryFailed, nil, 30008, 3)
	if r0.Seq == 0 {
		t.Error("receipt created without a seq")
	}
	read(t, s, func(tx parley.Tx) error {
		for _, r := range []*parley.DeliveryReceipt{r0, r1, r2} {
			got, err := tx.DeliveryReceipt(m.SID, r.SID)
			if err != nil {
				return err
			}
			same(t, "receipt", got, stored(r))
		}
		_, err := tx.DeliveryReceipt(m2.SID, r0.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})

	// A later status for the same message and participant keeps the
	// receipt (SID, seq, creation date, channel message SID when none is
	// given) and overwrites the rest.
	later := receipt(m, ps[0], parley.DeliveryRead, nil, 0, 7)
	if later.SID != first.SID || later.Seq != first.Seq || !later.DateCreated.Equal(ms(first.DateCreated)) {
		t.Errorf("upsert returned sid %s seq %d created %v, want the first receipt's %s %d %v",
			later.SID, later.Seq, later.DateCreated, first.SID, first.Seq, ms(first.DateCreated))
	}
	want := first
	want.Status, want.DateUpdated = parley.DeliveryRead, stamp(7)
	later2 := receipt(m, ps[1], parley.DeliveryUndelivered, strp("SM1"), 30003, 8)
	want2 := *r1
	want2.Status, want2.ChannelMessageSID, want2.ErrorCode, want2.DateUpdated = parley.DeliveryUndelivered, strp("SM1"), 30003, stamp(8)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.DeliveryReceipt(m.SID, first.SID)
		if err != nil {
			return err
		}
		same(t, "receipt after a later status", got, stored(&want))
		same(t, "upserted receipt as returned", returned(later), returned(&want))
		got, err = tx.DeliveryReceipt(m.SID, r1.SID)
		if err != nil {
			return err
		}
		same(t, "second receipt after a later status", got, stored(&want2))
		same(t, "second upserted receipt as returned", returned(later2), returned(&want2))
		return nil
	})
	// The store refuses a status outside the five.
	bad := &parley.DeliveryReceipt{SID: parley.NewSID(parley.PrefixDeliveryReceipt), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		ConversationSID: c.SID, MessageSID: m2.SID, ParticipantSID: ps[0].SID, Status: "queued", DateCreated: epoch, DateUpdated: epoch}
	if err := s.Write(ctx, func(tx parley.Tx) error { return tx.UpsertDeliveryReceipt(bad) }); err == nil {
		t.Error("a receipt with status queued was stored")
	}

	checkPaging(t, s, "receipts", []string{r0.SID, r1.SID, r2.SID},
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.DeliveryReceipt], error) {
			return tx.ListDeliveryReceipts(m.SID, p)
		},
		func(r *parley.DeliveryReceipt) (string, int64) { return r.SID, r.Seq })
	receipt(m2, ps[2], parley.DeliveryDelivered, nil, 0, 9)
	statuses := func(sids ...string) string {
		t.Helper()
		var got map[string][]string
		read(t, s, func(tx parley.Tx) (err error) { got, err = tx.DeliveryStatuses(sids); return err })
		return fmt.Sprint(got)
	}
	if got, want := statuses(m.SID, m2.SID, quiet.SID), fmt.Sprint(map[string][]string{
		m.SID: {parley.DeliveryRead, parley.DeliveryUndelivered, parley.DeliveryFailed}, m2.SID: {parley.DeliveryDelivered}}); got != want {
		t.Errorf("statuses = %s, want %s", got, want)
	}
	if got := statuses(); got != "map[]" {
		t.Errorf("statuses of no messages = %s", got)
	}

	// Receipts outlive their participant and go with their message.
	write(t, s, func(tx parley.Tx) error { return tx.DeleteParticipant(c.SID, ps[2].SID) })
	read(t, s, func(tx parley.Tx) error { _, err := tx.DeliveryReceipt(m.SID, r2.SID); return err })
	write(t, s, func(tx parley.Tx) error { return tx.DeleteMessage(c.SID, m.SID) })
	gone(t, s, "receipt of a deleted message", func(tx parley.Tx) error { _, err := tx.DeliveryReceipt(m.SID, r0.SID); return err })
	if got, want := statuses(m.SID, m2.SID), fmt.Sprintf("map[%s:[delivered]]", m2.SID); got != want {
		t.Errorf("statuses after a delete = %s, want %s", got, want)
	}
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	if got := statuses(m2.SID); got != "map[]" {
		t.Errorf("statuses after the conversation's delete = %s", got)
	}
}
