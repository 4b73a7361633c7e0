package chat

import "github.com/parley-dev/parley/internal/twilioapi"

// registerChannels adds the routes for services, channels, members,
// messages, invites, channel webhooks and the v3 channel update.
func (a *API) registerChannels(rt *twilioapi.Routes) {
	rt.Handle("GET", "/v2/Services", a.listServices)
	rt.Handle("POST", "/v2/Services", a.createService)
	rt.Handle("GET", "/v2/Services/{Sid}", a.fetchService)
	rt.Handle("POST", "/v2/Services/{Sid}", a.updateService)
	rt.Handle("DELETE", "/v2/Services/{Sid}", a.deleteService)

	const channels = "/v2/Services/{ServiceSid}/Channels"
	rt.Handle("GET", channels, a.listChannels)
	rt.Handle("POST", channels, a.createChannel)
	rt.Handle("GET", channels+"/{Sid}", a.fetchChannel)
	rt.Handle("POST", channels+"/{Sid}", a.updateChannel)
	rt.Handle("DELETE", channels+"/{Sid}", a.deleteChannel)

	const members = channels + "/{ChannelSid}/Members"
	rt.Handle("GET", members, a.listMembers)
	rt.Handle("POST", members, a.createMember)
	rt.Handle("GET", members+"/{Sid}", a.fetchMember)
	rt.Handle("POST", members+"/{Sid}", a.updateMember)
	rt.Handle("DELETE", members+"/{Sid}", a.deleteMember)

	const messages = channels + "/{ChannelSid}/Messages"
	rt.Handle("GET", messages, a.listMessages)
	rt.Handle("POST", messages, a.createMessage)
	rt.Handle("GET", messages+"/{Sid}", a.fetchMessage)
	rt.Handle("POST", messages+"/{Sid}", a.updateMessage)
	rt.Handle("DELETE", messages+"/{Sid}", a.deleteMessage)

	const invites = channels + "/{ChannelSid}/Invites"
	rt.Handle("GET", invites, a.listInvites)
	rt.Handle("POST", invites, a.createInvite)
	rt.Handle("GET", invites+"/{Sid}", a.fetchInvite)
	rt.Handle("DELETE", invites+"/{Sid}", a.deleteInvite)

	const webhooks = channels + "/{ChannelSid}/Webhooks"
	rt.Handle("GET", webhooks, a.listChannelWebhooks)
	rt.Handle("POST", webhooks, a.createChannelWebhook)
	rt.Handle("GET", webhooks+"/{Sid}", a.fetchChannelWebhook)
	rt.Handle("POST", webhooks+"/{Sid}", a.updateChannelWebhook)
	rt.Handle("DELETE", webhooks+"/{Sid}", a.deleteChannelWebhook)

	rt.Handle("POST", "/v3/Services/{ServiceSid}/Channels/{Sid}", a.migrateChannel)
}
