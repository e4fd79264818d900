-- Lists runs from the run index (PostgreSqlLogbookStore.QueryAsync) in one statement, so from one snapshot: t counts the
-- runs that match the filters (ignoring the cursor and the limit), p is one page of them, newest first (created_at
-- descending, then run_id descending). The LEFT JOIN returns the total even for an empty page: then one row whose page
-- columns are all NULL. Never reads header or payload.
-- A line ending in "-- when <filter>" is part of the statement only when the query sets that filter (RunIndexSql drops
-- it otherwise), so every combination of filters is its own fixed statement with a plan of its own:
--  * state:  exactly one state; an equality, so taskflow_runs_by_state returns the rows in created_at order.
--  * states: several states (ANY over a smallint[]; the rows are sorted, only the page is kept).
--  * name:   flow name or factory name (a BitmapOr of taskflow_runs_by_flow_state and taskflow_runs_by_factory_state,
--            which also hold the state, so a name with states is found in the indexes alone).
--  * tag:    the tags column holds '\n' || tag || '\n' (see Persistence.sql). The array test finds the candidates in
--            taskflow_runs_by_tag (its elements are the tags, plus '' for the outer delimiters); strpos keeps the exact
--            meaning (the empty tag is a tag only where the column holds '\n\n').
--  * from, before: created_at in [from, before); the store rounds both up to the microsecond (created_at has no finer
--            digits, so this is exact).
--  * prefix: starts_with: plain text, no wildcards; in byte order (COLLATE "C"), so it is a range of taskflow_runs_by_id.
--  * after:  the keyset cursor: rows strictly after (created_at, run_id) in the order; created_at <= ... bounds the index
--            scan, the rest breaks the tie. The store rounds the cursor's time up to the microsecond and passes '' as the
--            run id when it had finer digits (then no row has that very time).
-- run_id is compared and ordered COLLATE "C" (byte order: .NET ordinal order for every id without characters beyond U+FFFF),
-- whatever the database's collation.
SELECT t.total, p.run_id, p.flow_name, p.factory_name, p.state, p.created_at, p.updated_at, p.finished_at, p.silo,
       p.failure_summary, p.tags, p.atom_counts
  FROM (SELECT count(*) AS total
          FROM taskflow_runs
         WHERE service_id = @service_id
           AND state = @state                                                      -- when state
           AND state = ANY(@states)                                                -- when states
           AND (flow_name = @name OR factory_name = @name)                         -- when name
           AND string_to_array(tags, E'\n') @> ARRAY[@tag::text]                   -- when tag
           AND strpos(tags, chr(10) || @tag || chr(10)) > 0                        -- when tag
           AND created_at >= @created_from                                         -- when from
           AND created_at < @created_before                                        -- when before
           AND starts_with(run_id COLLATE "C", @id_prefix)                         -- when prefix
       ) AS t
  LEFT JOIN (
        SELECT run_id, flow_name, factory_name, state, created_at, updated_at, finished_at, silo, failure_summary, tags,
               atom_counts
          FROM taskflow_runs
         WHERE service_id = @service_id
           AND state = @state                                                      -- when state
           AND state = ANY(@states)                                                -- when states
           AND (flow_name = @name OR factory_name = @name)                         -- when name
           AND string_to_array(tags, E'\n') @> ARRAY[@tag::text]                   -- when tag
           AND strpos(tags, chr(10) || @tag || chr(10)) > 0                        -- when tag
           AND created_at >= @created_from                                         -- when from
           AND created_at < @created_before                                        -- when before
           AND starts_with(run_id COLLATE "C", @id_prefix)                         -- when prefix
           AND created_at <= @after_created_at                                     -- when after
           AND (created_at < @after_created_at OR run_id COLLATE "C" < @after_run_id) -- when after
         ORDER BY created_at DESC, run_id COLLATE "C" DESC
         LIMIT @limit
       ) AS p ON true
 ORDER BY p.created_at DESC, p.run_id COLLATE "C" DESC
