using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.AdoNet.Options;

/// <summary>Settings of TaskFlow's embedded grain storage on a SQLite file: durable with no database server.</summary>
/// <remarks>
/// <para>Set them with <c>siloBuilder.AddTaskFlowSqlite(o =&gt; ...)</c>; <see cref="TaskFlowSqliteOptionsValidator"/> checks
/// them at that call. The file is opened in WAL mode by the silo's process: one silo per file. SQLite offers no clustering
/// or reminders; use localhost clustering and in-memory reminders with it.</para>
/// <para>Rows are keyed by the cluster's <c>ServiceId</c>: set it explicitly and keep it stable.</para>
/// </remarks>
public sealed class TaskFlowSqliteOptions
{
    /// <summary>The path of the database file; created with its directory when missing.</summary>
    /// <value>Required, e.g. <c>data/taskflow.db</c>. Relative paths resolve against the process's working directory.</value>
    public string DatabasePath { get; set; } = "";

    /// <summary>The name of the grain storage provider; must match <c>TaskFlowOptions.StorageProviderName</c> (in TaskFlow.Orleans.Grains).</summary>
    /// <value>Default <c>"taskflow"</c>.</value>
    public string StorageProviderName { get; set; } = TaskFlowStorage.DefaultProviderName;

    /// <summary>Whether the silo creates or updates TaskFlow's tables and named queries when it starts.</summary>
    /// <remarks>When <see langword="false"/> the silo only verifies the schema; apply it with
    /// <see cref="Schema.TaskFlowSchema.ApplySqliteAsync"/>.</remarks>
    /// <value>Default <see langword="true"/>.</value>
    public bool ApplySchemaOnStart { get; set; } = true;
}
