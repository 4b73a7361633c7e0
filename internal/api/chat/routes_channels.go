package chat

import "github.com/parley-dev/parley/internal/twilioapi"

// registerChannels adds the routes for services, channels, members,
// messages, invites, channel webhooks and the v3 channel update.
func (a *API) registerChannels(rt *twilioapi.Routes) {}
