package chat

import "github.com/parley-dev/parley/internal/twilioapi"

// registerUsers adds the routes for users, user channels, bindings, roles
// and credentials.
func (a *API) registerUsers(rt *twilioapi.Routes) {}
