-- One binding per device: a client SDK registering the same push endpoint
-- again updates its binding instead of adding one.
CREATE UNIQUE INDEX bindings_endpoint ON bindings (service_sid, binding_type, endpoint);
