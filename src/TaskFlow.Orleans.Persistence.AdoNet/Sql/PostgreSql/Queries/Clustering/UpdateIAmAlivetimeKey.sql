-- A silo's heartbeat: not versioned, so it never conflicts with membership changes.
UPDATE taskflow_membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE cluster_id = @DeploymentId
   AND address = @Address
   AND port = @Port
   AND generation = @Generation;
