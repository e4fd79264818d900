-- The gateways clients may connect to: silos in @Status (Active) that listen for clients.
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM taskflow_membership
 WHERE cluster_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0;
