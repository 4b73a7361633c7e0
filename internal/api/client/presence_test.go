package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/client"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/syncview"
)

// TestPresenceLeases: sessions on two processes keep a user online until
// the last one ends; a process that dies (stops renewing) takes its users
// offline once its lease expired and the sweep ran; a live process's
// renewed leases survive the sweep; push bindings make the user notifiable.
// Each change is one reachability event in the user's info map.
func TestPresenceLeases(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		clk := clock.NewVirtual(time.Now())
		db, err := store.Open(ctx, apitest.DatabaseURL(t, engine), store.Options{Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		app := core.New(db, core.WithProjector(syncview.Projector{}))
		acct, _, err := app.Bootstrap(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		ctx = parley.WithAccount(ctx, acct)
		svc, on := acct.DefaultServiceSID, true
		if _, err := app.UpdateServiceConfiguration(ctx, svc, parley.ServiceConfigurationFields{ReachabilityEnabled: &on}); err != nil {
			t.Fatal(err)
		}
		identity := "alice"
		u, err := app.CreateUser(ctx, svc, parley.UserFields{Identity: &identity})
		if err != nil {
			t.Fatal(err)
		}
		caller := func() *parley.Caller {
			return &parley.Caller{Principal: &parley.Principal{Account: acct, Identity: identity, ServiceSID: svc},
				UserSID: u.SID, Surface: parley.SurfaceClient, Source: parley.SourceSDK}
		}
		sdkCtx := parley.WithCaller(ctx, caller())
		state := func() (online, notifiable *bool) {
			t.Helper()
			r, err := app.Reachability(ctx, svc, u.SID)
			if err != nil || r == nil {
				t.Fatalf("Reachability = %v, %v", r, err)
			}
			return r.Online, r.Notifiable
		}
		wantOnline := func(step string, want bool) {
			t.Helper()
			if online, _ := state(); online == nil || *online != want {
				t.Fatalf("%s: online = %v, want %v", step, online, want)
			}
		}
		if online, notifiable := state(); online != nil || notifiable != nil {
			t.Fatalf("never connected: online %v notifiable %v, want null", online, notifiable)
		}

		// Two processes: A has two sessions, B one.
		a := client.NewPresence(app, "node-a", nil)
		b := client.NewPresence(app, "node-b", nil)
		a.Connected(sdkCtx, caller())
		a.Connected(sdkCtx, caller())
		b.Connected(sdkCtx, caller())
		wantOnline("three sessions", true)
		a.Disconnected(caller())
		a.Disconnected(caller())
		wantOnline("A's sessions ended, B's lives", true)
		b.Disconnected(caller())
		wantOnline("every session ended", false)

		// B connects again and its process dies: nobody renews its lease.
		b.Connected(sdkCtx, caller())
		if n, err := app.SweepPresence(ctx); err != nil || n != 0 {
			t.Fatalf("sweep of a live lease: %d, %v", n, err)
		}
		clk.Advance(client.PresenceLease + time.Second)
		if n, err := app.SweepPresence(ctx); err != nil || n != 1 {
			t.Fatalf("sweep after B's lease expired: %d users offline, %v; want 1", n, err)
		}
		wantOnline("B died", false)

		// A live process renews: its user survives the sweep.
		a.Connected(sdkCtx, caller())
		clk.Advance(client.PresenceLease / 2)
		if err := a.Renew(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(client.PresenceLease/2 + time.Second)
		if n, err := app.SweepPresence(ctx); err != nil || n != 0 {
			t.Fatalf("sweep of a renewed lease: %d, %v", n, err)
		}
		wantOnline("renewed", true)

		if _, err := app.Register(sdkCtx, caller(), core.Registration{BindingType: parley.BindingTypeFCM, Address: "device-1",
			MessageTypes: []string{"twilio.conversations.new_message"}}); err != nil {
			t.Fatal(err)
		}
		if _, notifiable := state(); notifiable == nil || !*notifiable {
			t.Fatalf("with a push binding: notifiable = %v, want true", notifiable)
		}

		// The user's info map got one reachability event per change:
		// online, offline, online, offline, online, then notifiable.
		var got []string
		err = db.Read(ctx, func(tx parley.Tx) error {
			evs, err := tx.SyncEvents(syncview.UserInfoMap(u.SID), 0, 100)
			for _, ev := range evs {
				var e struct {
					ItemKey  string                            `json:"item_key"`
					ItemData struct{ Online, Notifiable bool } `json:"item_data"`
				}
				if err := json.Unmarshal(ev.Data, &e); err != nil {
					return err
				}
				if e.ItemKey == "reachability" {
					got = append(got, fmt.Sprintf("online=%v notifiable=%v", e.ItemData.Online, e.ItemData.Notifiable))
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		up, down := "online=true notifiable=false", "online=false notifiable=false"
		if want := []string{up, down, up, down, up, "online=true notifiable=true"}; !slices.Equal(got, want) {
			t.Errorf("reachability events %v, want %v", got, want)
		}
	})
}
