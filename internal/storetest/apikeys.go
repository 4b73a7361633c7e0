package storetest

import (
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

func testAPIKeys(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	k := &parley.APIKey{SID: parley.NewSID(parley.PrefixKey), AccountSID: f.acct.SID, FriendlyName: strp("ci"),
		Sealed: []byte{1, 2, 3}, DateCreated: epoch, DateUpdated: epoch}
	k2 := &parley.APIKey{SID: parley.NewSID(parley.PrefixKey), AccountSID: f.acct.SID, Sealed: []byte{4}, DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error {
		if err := tx.CreateAPIKey(k); err != nil {
			return err
		}
		return tx.CreateAPIKey(k2)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.APIKey(f.acct.SID, k.SID)
		if err != nil {
			return err
		}
		if got.Seq == 0 || *got.FriendlyName != "ci" || string(got.Sealed) != "\x01\x02\x03" || !got.DateCreated.Equal(epoch) {
			t.Errorf("key = %+v", got)
		}
		if got, err := tx.APIKeyBySID(k2.SID); err != nil || got.AccountSID != f.acct.SID || got.FriendlyName != nil {
			t.Errorf("by SID = %+v %v", got, err)
		}
		if got, err := tx.APIKeyByName(f.acct.SID, "ci"); err != nil || got.SID != k.SID {
			t.Errorf("by name = %+v %v", got, err)
		}
		_, err = tx.APIKeyByName(other.acct.SID, "ci")
		wantCode(t, err, parley.CodeNotFound)
		_, err = tx.APIKey(other.acct.SID, k.SID)
		wantCode(t, err, parley.CodeNotFound)
		page, err := tx.ListAPIKeys(f.acct.SID, parley.PageRequest{Size: 1})
		if err != nil || len(page.Items) != 1 || page.Items[0].SID != k.SID || !page.More {
			t.Errorf("list = %+v %v", page, err)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error {
		k.FriendlyName, k.DateUpdated = strp("renamed"), epoch.Add(time.Minute)
		if err := tx.UpdateAPIKey(k); err != nil {
			return err
		}
		wantCode(t, tx.DeleteAPIKey(other.acct.SID, k2.SID), parley.CodeNotFound)
		return tx.DeleteAPIKey(f.acct.SID, k2.SID)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.APIKey(f.acct.SID, k.SID)
		if err == nil && (*got.FriendlyName != "renamed" || !got.DateUpdated.Equal(epoch.Add(time.Minute))) {
			t.Errorf("after update = %+v", got)
		}
		_, err2 := tx.APIKeyBySID(k2.SID)
		wantCode(t, err2, parley.CodeNotFound)
		return err
	})
}
