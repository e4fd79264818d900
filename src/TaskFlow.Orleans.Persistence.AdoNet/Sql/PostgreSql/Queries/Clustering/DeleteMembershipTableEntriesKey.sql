-- Forgets a cluster entirely: its silos and its version row.
WITH silos AS (
    DELETE FROM taskflow_membership WHERE cluster_id = @DeploymentId
)
DELETE FROM taskflow_membership_version WHERE cluster_id = @DeploymentId;
