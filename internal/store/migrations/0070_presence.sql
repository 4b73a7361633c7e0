-- Reachability of client SDK users. user_reachability holds a user's
-- state once the user has connected while the service's reachability was
-- on; presence_leases are node processes' claims that the user is
-- connected to them, each valid until expires_at (store clock, ms) and
-- renewed while the process lives, so the users of a process that died go
-- offline when its leases run out and the sweep finds them.
CREATE TABLE user_reachability (
    user_sid     TEXT PRIMARY KEY REFERENCES users (sid) ON DELETE CASCADE,
    online       INTEGER NOT NULL,
    date_updated BIGINT NOT NULL
);
CREATE TABLE presence_leases (
    user_sid   TEXT NOT NULL REFERENCES users (sid) ON DELETE CASCADE,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (user_sid, holder)
);
CREATE INDEX presence_leases_expiry ON presence_leases (expires_at);
CREATE INDEX presence_leases_holder ON presence_leases (holder);
