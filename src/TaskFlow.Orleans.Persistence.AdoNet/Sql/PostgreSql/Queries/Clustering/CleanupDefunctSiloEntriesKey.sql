-- Removes silos that are not Active (status 3) and have not sent a heartbeat since @IAmAliveTime.
DELETE FROM taskflow_membership
 WHERE cluster_id = @DeploymentId
   AND i_am_alive_time < @IAmAliveTime
   AND status <> 3;
