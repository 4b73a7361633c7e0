package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// ServiceConfiguration returns a service, whose default roles and
// reachability flag are its configuration.
func (a *App) ServiceConfiguration(ctx context.Context, serviceSID string) (*parley.Service, error) {
	return a.Service(ctx, serviceSID)
}

func validateServiceConfiguration(f parley.ServiceConfigurationFields) error {
	for _, p := range []struct {
		name string
		v    *string
	}{
		{"DefaultConversationCreatorRoleSid", f.DefaultConversationCreatorRoleSID},
		{"DefaultConversationRoleSid", f.DefaultConversationRoleSID},
		{"DefaultChatServiceRoleSid", f.DefaultChatServiceRoleSID},
	} {
		// A service always has its three defaults: they can be changed, never cleared.
		if p.v != nil && !parley.IsSID(*p.v, parley.PrefixRole) {
			return parley.Errorf(parley.CodeInvalidParameter, "%s must be a RL SID", p.name)
		}
	}
	return nil
}

// UpdateServiceConfiguration changes a service's default roles or
// reachability flag. Each default must name a role of the right type in the
// same service: conversation roles for the creator and participant defaults,
// a service role for new users.
func (a *App) UpdateServiceConfiguration(ctx context.Context, serviceSID string, f parley.ServiceConfigurationFields) (*parley.Service, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateServiceConfiguration(f); err != nil {
		return nil, err
	}
	var svc *parley.Service
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if svc, err = tx.Service(acct.SID, serviceSID); err != nil {
			return err
		}
		if err := applyServiceDefaults(tx, svc, f); err != nil {
			return err
		}
		svc.DateUpdated = tx.Now()
		return tx.UpdateServiceConfiguration(svc)
	})
	return svc, err
}

// applyServiceDefaults sets the default roles and reachability f gives,
// each role checked to be of the right type in the service.
func applyServiceDefaults(tx parley.Tx, svc *parley.Service, f parley.ServiceConfigurationFields) error {
	for _, d := range []struct {
		given  *string
		target *string
		typ    string
	}{
		{f.DefaultConversationCreatorRoleSID, &svc.DefaultConversationCreatorRoleSID, parley.RoleTypeConversation},
		{f.DefaultConversationRoleSID, &svc.DefaultConversationRoleSID, parley.RoleTypeConversation},
		{f.DefaultChatServiceRoleSID, &svc.DefaultChatServiceRoleSID, parley.RoleTypeService},
	} {
		if d.given == nil {
			continue
		}
		if err := roleOfType(tx, svc.SID, *d.given, d.typ); err != nil {
			return err
		}
		*d.target = *d.given
	}
	if f.ReachabilityEnabled != nil {
		svc.ReachabilityEnabled = *f.ReachabilityEnabled
	}
	return nil
}
