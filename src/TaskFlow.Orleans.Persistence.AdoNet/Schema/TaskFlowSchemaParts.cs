namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>The parts of TaskFlow's relational schema: each is a set of tables plus the named queries its Orleans provider reads.</summary>
[Flags]
public enum TaskFlowSchemaParts
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Grain storage and run logbooks: the <c>taskflow_grain_state</c>, <c>taskflow_runs</c> and <c>taskflow_atoms</c>
    /// tables and the storage queries (PostgreSQL and SQLite).</summary>
    Persistence = 1,

    /// <summary>Cluster membership: the <c>taskflow_membership</c> tables and the clustering queries (PostgreSQL only).</summary>
    Clustering = 2,

    /// <summary>Reminders: the <c>taskflow_reminders</c> table and the reminder queries (PostgreSQL only).</summary>
    Reminders = 4,

    /// <summary>Every part.</summary>
    All = Persistence | Clustering | Reminders,
}
