-- A user's channels in Chat include the channels the user is invited to:
-- the invites of one identity across a service, in invite order.
CREATE INDEX invites_identity ON invites (service_sid, identity, seq);
