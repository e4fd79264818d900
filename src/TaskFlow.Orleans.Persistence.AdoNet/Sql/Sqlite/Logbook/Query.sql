-- Lists runs from the run index (SqliteLogbookStore.QueryAsync) in one statement, so from one snapshot: t counts the runs
-- that match the filters (ignoring the cursor and the limit), p is one page of them, newest first (created_at descending,
-- then run_id descending). The LEFT JOIN returns the total even for an empty page: then one row whose page columns are all
-- NULL. Never reads header or payload. See Sql/PostgreSql/Logbook/Query.sql for the filters; differences:
--  * a line ending in "-- when <filter>" is kept only when the query sets that filter (RunIndexSql drops it otherwise);
--  * states: a JSON array of the state values (json_each);
--  * tag: instr, as the tags column is newline-delimited as on PostgreSQL;
--  * prefix: substr/length compare characters exactly (no LIKE: it has wildcards and ignores ASCII case);
--  * created_at is INTEGER microseconds; run_id compares with SQLite's default BINARY collation (byte order).
SELECT t.total, p.run_id, p.flow_name, p.factory_name, p.state, p.created_at, p.updated_at, p.finished_at, p.silo,
       p.failure_summary, p.tags, p.atom_counts
  FROM (SELECT count(*) AS total
          FROM taskflow_runs
         WHERE service_id = @service_id
           AND state = @state                                                      -- when state
           AND state IN (SELECT value FROM json_each(@states))                     -- when states
           AND (flow_name = @name OR factory_name = @name)                         -- when name
           AND instr(tags, char(10) || @tag || char(10)) > 0                       -- when tag
           AND created_at >= @created_from                                         -- when from
           AND created_at < @created_before                                        -- when before
           AND substr(run_id, 1, length(@id_prefix)) = @id_prefix                  -- when prefix
       ) AS t
  LEFT JOIN (
        SELECT run_id, flow_name, factory_name, state, created_at, updated_at, finished_at, silo, failure_summary, tags,
               atom_counts
          FROM taskflow_runs
         WHERE service_id = @service_id
           AND state = @state                                                      -- when state
           AND state IN (SELECT value FROM json_each(@states))                     -- when states
           AND (flow_name = @name OR factory_name = @name)                         -- when name
           AND instr(tags, char(10) || @tag || char(10)) > 0                       -- when tag
           AND created_at >= @created_from                                         -- when from
           AND created_at < @created_before                                        -- when before
           AND substr(run_id, 1, length(@id_prefix)) = @id_prefix                  -- when prefix
           AND created_at <= @after_created_at                                     -- when after
           AND (created_at < @after_created_at OR run_id < @after_run_id)          -- when after
         ORDER BY created_at DESC, run_id DESC
         LIMIT @limit
       ) AS p ON 1
 ORDER BY p.created_at DESC, p.run_id DESC
