-- TaskFlow.Orleans schema for SQLite: the table of named queries that the Orleans ADO.NET grain storage reads at start.
-- Written for this project to the provider's contract; idempotent, so it runs at every silo start.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
