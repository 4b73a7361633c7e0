package core

import parley "github.com/parley-dev/parley"

// Email participants: Twilio gives them an address and no proxy address;
// their conversation's Bindings.Email.Address and .Name are the sender of
// their mail (https://www.twilio.com/docs/api/errors/50453).

// bindEmail gives an email participant of c its conversation's email
// sender as proxy address: the sender its mail comes from and the address
// its replies are routed by, as an SMS participant's number is. Twilio
// documents no code for an email participant in a conversation without
// Bindings.Email.Address; Parley answers 50412, "proxy address is empty"
// (https://www.twilio.com/docs/api/errors/50412), since that is what is
// missing.
func bindEmail(c *parley.Conversation, b *parley.MessagingBinding) error {
	if b.Type != parley.BindingEmail {
		return nil
	}
	if c.EmailAddress == nil {
		return parley.Errorf(parley.CodeEmptyProxyAddress,
			"Conversation %s has no Bindings.Email.Address to send its email participants' mail from", c.SID)
	}
	if *c.EmailAddress == *b.Address {
		return parley.Errorf(parley.CodeAddressIsProxy, "MessagingBinding.Address must not equal the conversation's Bindings.Email.Address")
	}
	b.ProxyAddress = c.EmailAddress
	return nil
}

// validateEmailSender checks a conversation's Bindings.Email.Address, a
// bare email address (Twilio documents no code for a bad one: 50407, its
// code for a bad participant address).
func validateEmailSender(f parley.ConversationFields) error {
	if f.EmailAddress == nil || *f.EmailAddress == "" || isEmail(*f.EmailAddress) {
		return maxLength("Bindings.Email.Name", f.EmailName, maxNameLength)
	}
	return parley.ParamError(parley.CodeInvalidAddress, "Bindings.Email.Address", parley.ProblemNone,
		"Bindings.Email.Address %q is not an email address", *f.EmailAddress)
}

// withEmailHeaders sets what mail carries beyond a text: the subject (the
// conversation's friendly name) and the sender's name.
func withEmailHeaders(tx parley.Tx, serviceSID string, out *parley.OutboundMessage) error {
	c, err := tx.Conversation(serviceSID, out.ConversationSID)
	if err != nil {
		return err
	}
	if c.FriendlyName != nil {
		out.Subject = *c.FriendlyName
	}
	if c.EmailName != nil {
		out.SenderName = *c.EmailName
	}
	return nil
}
