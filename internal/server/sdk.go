package server

import (
	"log/slog"
	"net/http"

	"github.com/parley-dev/parley/internal/api/client"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/metrics"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/twilsock"
)

// clientSDK is the endpoint the official client SDKs connect to
// (/v3/wsconnect): twilsock sessions whose upstream requests reach the
// client API and the virtual Sync in process.
func clientSDK(app *core.App, publicURL string, hub *syncview.Hub, m *metrics.Metrics, log *slog.Logger) *twilsock.Server {
	mux := http.NewServeMux()
	api := client.New(app, publicURL)
	api.Register(mux)
	syncview.New(app, publicURL, hub).Register(mux)
	mux.Handle("/", twilioapi.HandlerFunc(twilioapi.NotFound))
	sdk := twilsock.New(twilsock.Config{Verifier: app, Sessions: api, Handler: twilioapi.WithLogger(log, twilioapi.Recover(mux)),
		Logger: log, Observer: m})
	m.WatchSDK(sdk.Connections)
	return sdk
}
