package conversations

import "github.com/parley-dev/parley/internal/twilioapi"

// registerAccess adds the routes for roles, service configuration, user conversations and participant conversations.
func (a *API) registerAccess(rt *twilioapi.Routes) {}
