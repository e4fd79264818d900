-- Updates a silo's status, suspicions and liveness if the table version still equals @Version, bumping it;
-- returns whether the silo was updated.
WITH bumped AS (
    UPDATE taskflow_membership_version
       SET version = version + 1,
           modified_at = now()
     WHERE cluster_id = @DeploymentId
       AND version = @Version
       AND EXISTS (SELECT 1
                     FROM taskflow_membership
                    WHERE cluster_id = @DeploymentId
                      AND address = @Address
                      AND port = @Port
                      AND generation = @Generation)
    RETURNING cluster_id
), updated AS (
    UPDATE taskflow_membership m
       SET status = @Status,
           suspect_times = @SuspectTimes,
           i_am_alive_time = @IAmAliveTime
      FROM bumped
     WHERE m.cluster_id = bumped.cluster_id
       AND m.address = @Address
       AND m.port = @Port
       AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS "Updated";
