-- The values of a message's content template (ContentSid), a JSON object:
-- Twilio's Message resource does not render them, but channel deliveries
-- send them with the template.
ALTER TABLE messages ADD COLUMN content_variables TEXT;
