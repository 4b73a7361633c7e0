-- A Chat channel webhook's Configuration.RetryCount (0 to 3): how many
-- times a Chat-dialect delivery is retried after a timeout or a 429, 503
-- or 504 answer. Conversations-scoped webhooks have no such setting and
-- keep 0.
ALTER TABLE scoped_webhooks ADD COLUMN retry_count INTEGER NOT NULL DEFAULT 0;
