namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>The tables and columns each part of the schema must have: what start-up verification checks.</summary>
/// <remarks>Kept beside the scripts in <c>Sql/</c>; a test applies the scripts and checks that they produce exactly this.</remarks>
internal static class SchemaCatalog
{
    private static readonly string[] QueryTable = ["querykey", "querytext"];

    private static readonly (string Table, string[] Columns)[] Persistence =
    [
        ("taskflow_grain_state", ["service_id", "state_name", "grain_id_n0", "grain_id_n1", "grain_id_key", "payload", "version", "modified_at"]),
        ("taskflow_runs", ["service_id", "run_id", "version", "last_write_id", "flow_name", "factory_name", "state", "created_at",
            "updated_at", "finished_at", "silo", "failure_summary", "tags", "atom_counts", "header", "payload"]),
        ("taskflow_atoms", ["service_id", "run_id", "atom_id", "state", "payload"]),
    ];

    private static readonly (string Table, string[] Columns)[] Clustering =
    [
        ("taskflow_membership_version", ["cluster_id", "version", "modified_at"]),
        ("taskflow_membership", ["cluster_id", "address", "port", "generation", "silo_name", "host_name", "status", "proxy_port",
            "suspect_times", "start_time", "i_am_alive_time"]),
    ];

    private static readonly (string Table, string[] Columns)[] Reminders =
    [
        ("taskflow_reminders", ["service_id", "grain_id", "reminder_name", "start_time", "period", "grain_hash", "version"]),
    ];

    /// <summary>The name of the table of named queries; the providers hard-code it.</summary>
    public const string QueryTableName = "orleansquery";

    /// <summary>Expected tables (lower case) and their columns (lower case) for <paramref name="parts"/>, the query table first.</summary>
    public static IReadOnlyList<(string Table, string[] Columns)> Tables(TaskFlowSchemaParts parts)
    {
        var tables = new List<(string, string[])> { (QueryTableName, QueryTable) };
        foreach (var part in SqlScripts.Each(parts))
        {
            tables.AddRange(part switch
            {
                TaskFlowSchemaParts.Persistence => Persistence,
                TaskFlowSchemaParts.Clustering => Clustering,
                _ => Reminders,
            });
        }

        return tables;
    }
}
