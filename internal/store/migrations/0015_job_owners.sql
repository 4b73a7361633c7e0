-- Who holds a job's lease: "<node id>/<process incarnation>". A worker's
-- heartbeat renews the leases it holds, and a restarted node releases those
-- of its previous incarnation instead of waiting for them to run out.
ALTER TABLE jobs ADD COLUMN locked_by TEXT;
CREATE INDEX jobs_locked_by ON jobs (locked_by);
