package server

import (
	"fmt"
	"log/slog"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel/email"
	"github.com/parley-dev/parley/internal/channel/simulator"
	"github.com/parley-dev/parley/internal/channel/twilio"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Channel adapters a binding type's messages can go through
// (Config.ChannelSMS, Config.ChannelWhatsApp, Config.ChannelEmail).
const (
	ChannelSimulator     = "simulator"
	ChannelTwilio        = "twilio"
	ChannelWhatsAppCloud = "whatsapp-cloud" // WhatsApp only
	ChannelSMTP          = "smtp"           // email only
)

// channelSet is the adapter of each binding type, and the real adapters
// whose webhooks Parley serves.
type channelSet struct {
	adapters map[string]parley.ChannelAdapter
	twilio   *twilio.Adapter
	whatsapp *whatsapp.Adapter
}

// channels builds the adapters the config picks; publicURL is Parley's
// base URL as providers reach it (the Twilio status callbacks' base).
func (c Config) channels(db parley.Store, publicURL string) (*channelSet, error) {
	set := &channelSet{adapters: map[string]parley.ChannelAdapter{}}
	sim := simulator.New(db)
	for _, b := range []struct{ binding, choice, flag, want string }{
		{parley.BindingSMS, c.ChannelSMS, "channel-sms", "simulator or twilio"},
		{parley.BindingWhatsApp, c.ChannelWhatsApp, "channel-whatsapp", "simulator, twilio or whatsapp-cloud"},
		{parley.BindingEmail, c.ChannelEmail, "channel-email", "simulator or smtp"},
	} {
		var err error
		switch {
		case b.choice == "" || b.choice == ChannelSimulator:
			set.adapters[b.binding] = sim
		case b.choice == ChannelTwilio:
			if set.twilio == nil {
				tc := c.Twilio
				if tc.PublicURL == "" {
					tc.PublicURL = publicURL
				}
				set.twilio, err = twilio.New(tc, db)
			}
			set.adapters[b.binding] = set.twilio
		case b.choice == ChannelWhatsAppCloud && b.binding == parley.BindingWhatsApp:
			set.whatsapp, err = whatsapp.New(c.WhatsApp, db)
			set.adapters[b.binding] = set.whatsapp
		case b.choice == ChannelSMTP && b.binding == parley.BindingEmail:
			set.adapters[b.binding], err = email.New(c.Email, db)
		default:
			return nil, fmt.Errorf("--%s: want %s, got %q", b.flag, b.want, b.choice)
		}
		if err != nil {
			return nil, err
		}
	}
	return set, nil
}

// mount serves the real adapters' webhooks on mux, outside account
// authentication: each checks its provider's signature instead.
// Inbound messages go to mainAccount unless the webhook URL names another.
func (s *channelSet) mount(mux *http.ServeMux, recv parley.ChannelReceiver, mainAccount string, log *slog.Logger) {
	if s.twilio != nil {
		mux.Handle("/parley/v1/Channels/Twilio/", twilioapi.WithLogger(log, twilioapi.Recover(s.twilio.Handler(recv, mainAccount))))
	}
	if s.whatsapp != nil {
		mux.Handle(whatsapp.WebhookPath, twilioapi.WithLogger(log, twilioapi.Recover(s.whatsapp.Handler(recv, mainAccount))))
	}
}
