-- A conversation's email sender (Twilio's Bindings.Email.Address and
-- .Name): the From of the mail its email participants get, and the address
-- their replies come back to.
ALTER TABLE conversations ADD COLUMN email_address TEXT;
ALTER TABLE conversations ADD COLUMN email_name TEXT;
