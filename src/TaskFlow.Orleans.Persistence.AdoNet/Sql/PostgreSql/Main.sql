-- TaskFlow.Orleans schema for PostgreSQL 15: the table of named queries that the Orleans ADO.NET providers read at start.
-- Written for this project to the providers' contract; idempotent, so it runs at every silo start.
-- Unquoted names fold to lower case, which is how the providers' "SELECT QueryKey, QueryText FROM OrleansQuery" finds them.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_key PRIMARY KEY (querykey)
);
