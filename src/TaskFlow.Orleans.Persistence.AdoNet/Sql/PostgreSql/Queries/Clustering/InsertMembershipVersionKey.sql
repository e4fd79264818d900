-- Creates the cluster's version row if it is missing; returns whether it was created (one boolean column, one row).
WITH inserted AS (
    INSERT INTO taskflow_membership_version (cluster_id, version, modified_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted";
