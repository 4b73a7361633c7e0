package conversations

import "github.com/parley-dev/parley/internal/twilioapi"

// registerConfig adds the routes for webhook configurations, notifications, credentials and address configurations.
func (a *API) registerConfig(rt *twilioapi.Routes) {}
