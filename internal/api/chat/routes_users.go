package chat

import (
	"github.com/parley-dev/parley/internal/api/credentials"
	"github.com/parley-dev/parley/internal/api/roles"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// registerUsers adds the routes for users, user channels, bindings, roles
// and credentials.
func (a *API) registerUsers(rt *twilioapi.Routes) {
	const svc = "/v2/Services/{ServiceSid}"
	rt.Handle("GET", svc+"/Users", a.listUsers)
	rt.Handle("POST", svc+"/Users", a.createUser)
	rt.Handle("GET", svc+"/Users/{Sid}", a.fetchUser)
	rt.Handle("POST", svc+"/Users/{Sid}", a.updateUser)
	rt.Handle("DELETE", svc+"/Users/{Sid}", a.deleteUser)

	rt.Handle("GET", svc+"/Users/{UserSid}/Channels", a.listUserChannels)
	rt.Handle("GET", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.fetchUserChannel)
	rt.Handle("POST", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.updateUserChannel)
	rt.Handle("DELETE", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.deleteUserChannel)

	rt.Handle("GET", svc+"/Bindings", a.listBindings)
	rt.Handle("GET", svc+"/Bindings/{Sid}", a.fetchBinding)
	rt.Handle("DELETE", svc+"/Bindings/{Sid}", a.deleteBinding)
	rt.Handle("GET", svc+"/Users/{UserSid}/Bindings", a.listUserBindings)
	rt.Handle("GET", svc+"/Users/{UserSid}/Bindings/{Sid}", a.fetchUserBinding)
	rt.Handle("DELETE", svc+"/Users/{UserSid}/Bindings/{Sid}", a.deleteUserBinding)

	roles.Register(rt, svc, a.roles())

	// Credentials belong to the account, not to a service.
	credentials.Register(rt, a.app, a.publicURL, "v2", false)
}
