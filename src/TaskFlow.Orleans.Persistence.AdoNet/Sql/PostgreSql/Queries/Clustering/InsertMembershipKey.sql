-- Registers a silo if the table version still equals @Version, bumping it; returns whether the silo was inserted.
-- The version row's lock serializes concurrent changes, and the NOT EXISTS keeps the version as it was when the silo is
-- already registered.
WITH bumped AS (
    UPDATE taskflow_membership_version
       SET version = version + 1,
           modified_at = now()
     WHERE cluster_id = @DeploymentId
       AND version = @Version
       AND NOT EXISTS (SELECT 1
                         FROM taskflow_membership
                        WHERE cluster_id = @DeploymentId
                          AND address = @Address
                          AND port = @Port
                          AND generation = @Generation)
    RETURNING cluster_id
), inserted AS (
    INSERT INTO taskflow_membership (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                     suspect_times, start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           NULL, @StartTime, @IAmAliveTime
      FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted";
