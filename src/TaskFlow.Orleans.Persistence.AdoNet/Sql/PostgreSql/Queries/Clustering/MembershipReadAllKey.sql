-- Every silo of the cluster, each with the table version. The LEFT JOIN returns the version row alone (NULL StartTime)
-- when no silo is registered yet: the provider needs at least one row to learn the version.
SELECT v.version          AS "Version",
       m.address          AS "Address",
       m.port             AS "Port",
       m.generation       AS "Generation",
       m.silo_name        AS "SiloName",
       m.host_name        AS "HostName",
       m.status           AS "Status",
       m.proxy_port       AS "ProxyPort",
       m.suspect_times    AS "SuspectTimes",
       m.start_time       AS "StartTime",
       m.i_am_alive_time  AS "IAmAliveTime"
  FROM taskflow_membership_version v
  LEFT JOIN taskflow_membership m ON m.cluster_id = v.cluster_id
 WHERE v.cluster_id = @DeploymentId;
