-- Cluster membership (Orleans IMembershipTable), keyed by ClusterId (the provider calls it DeploymentId).
-- taskflow_membership_version holds the table version every membership change compares and bumps.
CREATE TABLE IF NOT EXISTS taskflow_membership_version
(
    cluster_id  text        NOT NULL,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL,
    CONSTRAINT taskflow_membership_version_key PRIMARY KEY (cluster_id)
);

CREATE TABLE IF NOT EXISTS taskflow_membership
(
    cluster_id      text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT taskflow_membership_key PRIMARY KEY (cluster_id, address, port, generation)
);
