package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// The phone simulator's records, for /parley/v1/Simulator. The simulated
// network itself is the simulator adapter (internal/channel/simulator).

// ListSimulatedMessages pages what the simulated network carried for the
// caller's account.
func (a *App) ListSimulatedMessages(ctx context.Context, f parley.SimulatorFilter, pr parley.PageRequest) (parley.Page[*parley.SimulatedMessage], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.SimulatedMessage]{}, err
	}
	var page parley.Page[*parley.SimulatedMessage]
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		page, err = tx.ListSimulatedMessages(acct.SID, f, pr)
		return err
	})
	return page, err
}

// SimulatedPhone is an address's simulator settings (not found before any).
func (a *App) SimulatedPhone(ctx context.Context, address string) (*parley.SimulatedPhone, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var p *parley.SimulatedPhone
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		p, err = tx.SimulatedPhone(acct.SID, address)
		return err
	})
	return p, err
}

// SetSimulatedPhone stores an address's simulator settings.
func (a *App) SetSimulatedPhone(ctx context.Context, p *parley.SimulatedPhone) error {
	return a.store.Write(ctx, func(tx parley.Tx) error {
		p.DateUpdated = tx.Now()
		return tx.SetSimulatedPhone(p)
	})
}

// RecordSimulatedMessage logs a message the simulated network carried.
func (a *App) RecordSimulatedMessage(ctx context.Context, m *parley.SimulatedMessage) error {
	return a.store.Write(ctx, func(tx parley.Tx) error {
		m.DateCreated = tx.Now()
		_, err := tx.RecordSimulatedMessage(m)
		return err
	})
}
