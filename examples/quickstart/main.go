// Command quickstart is the README's twilio-go example: it points the
// official helper library at a Parley server and walks a conversation.
package main

import (
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"

	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"
)

// toParley sends the helper library's https://conversations.twilio.com
// requests to Parley instead.
type toParley struct{ base *url.URL }

func (t toParley) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

func main() {
	base, err := url.Parse(os.Getenv("PARLEY_URL")) // e.g. http://127.0.0.1:8080
	if err != nil || base.Scheme == "" || base.Host == "" {
		// Say what is missing now, not later as an obscure transport error.
		log.Fatalf("set PARLEY_URL to your Parley server, e.g. http://127.0.0.1:8080 (got %q)", os.Getenv("PARLEY_URL"))
	}
	sid, token := os.Getenv("TWILIO_ACCOUNT_SID"), os.Getenv("TWILIO_AUTH_TOKEN")
	httpClient := &client.Client{
		Credentials: client.NewCredentials(sid, token),
		HTTPClient:  &http.Client{Transport: toParley{base}},
	}
	httpClient.SetAccountSid(sid)
	api := twilio.NewRestClientWithParams(twilio.ClientParams{Client: httpClient}).ConversationsV1

	name, unique := "Support", "quickstart"
	c, err := api.CreateConversation(&conversations.CreateConversationParams{FriendlyName: &name, UniqueName: &unique})
	if err != nil {
		log.Fatal(err)
	}
	for _, who := range []string{"alice", "bob"} {
		if _, err := api.CreateConversationParticipant(*c.Sid, &conversations.CreateConversationParticipantParams{Identity: &who}); err != nil {
			log.Fatal(err)
		}
	}
	author, body := "alice", "Hello, Bob!"
	if _, err := api.CreateConversationMessage(*c.Sid, &conversations.CreateConversationMessageParams{Author: &author, Body: &body}); err != nil {
		log.Fatal(err)
	}
	messages, err := api.ListConversationMessage(unique, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range messages {
		fmt.Printf("#%d %s: %s\n", m.Index, *m.Author, *m.Body)
	}
	if err := api.DeleteConversation(*c.Sid, nil); err != nil {
		log.Fatal(err)
	}
}
