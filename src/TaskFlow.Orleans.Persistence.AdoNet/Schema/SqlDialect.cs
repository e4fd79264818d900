namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>The databases TaskFlow ships a schema for; the value names the resource folder under <c>Sql/</c>.</summary>
internal enum SqlDialect
{
    PostgreSql,
    Sqlite,
}
