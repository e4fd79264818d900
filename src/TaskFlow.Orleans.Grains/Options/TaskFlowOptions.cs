namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Settings of TaskFlow on a silo: executor spread, group commit and storage.</summary>
/// <remarks>Set them with <c>AddTaskFlow(t =&gt; t.Configure(o =&gt; ...))</c>; <see cref="TaskFlowOptionsValidator"/>
/// checks them when the silo starts.</remarks>
public sealed class TaskFlowOptions
{
    /// <summary>The default <see cref="ExecutorPoolSize"/>.</summary>
    public const int DefaultExecutorPoolSize = 64;

    /// <summary>The default <see cref="EventBufferSize"/>.</summary>
    public const int DefaultEventBufferSize = 4096;

    /// <summary>The default <see cref="StorageProviderName"/>.</summary>
    public const string DefaultStorageProviderName = TaskFlow.Orleans.Logbook.TaskFlowStorage.DefaultProviderName;

    /// <summary>How many executor grain keys the engine spreads task calls over.</summary>
    /// <remarks>A bounded key space lets executor activations be reused while random placement spreads them over
    /// the silos. More keys spread load more evenly across silos; fewer keep fewer activations alive. It does not bound how
    /// many tasks run at once (an executor runs its calls concurrently): for that, set
    /// <see cref="Definitions.FlowEngineOptions.MaxConcurrency"/> on the flow (TaskFlow's <c>max_workers</c>).</remarks>
    /// <value>Default 64. Must be at least 1.</value>
    public int ExecutorPoolSize { get; set; } = DefaultExecutorPoolSize;

    /// <summary>When runs' changes become durable: TaskFlow's save order (<see cref="Definitions.Durability.Strict"/>, the
    /// default) or the opt-in <see cref="Definitions.Durability.Relaxed"/>; a run can choose its own when it starts.</summary>
    /// <remarks>Strict: an atom's RUNNING is durable before its task is dispatched and its outcome before anything depending
    /// on it is dispatched or anyone is told, so after a crash only atoms that were RUNNING run again. Writes of all runs on a
    /// silo share transactions (group commit), so a chain costs one commit per step and many runs share each commit.
    /// Relaxed: dispatches go out as soon as storage has applied the change; after a crash, what was dispatched or finished
    /// in the last unwritten window (one write per run) runs again too.</remarks>
    /// <value>Default <see cref="Definitions.Durability.Strict"/>.</value>
    public Definitions.Durability Durability { get; set; } = Definitions.Durability.Strict;

    /// <summary>How long a task's progress report may wait for the next write of its run before it is written on its own.</summary>
    /// <remarks>Progress is not an outcome: it is published to watchers at once and stored with the run's next write.</remarks>
    /// <value>Default 100 ms. Must be positive.</value>
    public TimeSpan ProgressWriteDelay { get; set; } = DefaultProgressWriteDelay;

    /// <summary>The default <see cref="ProgressWriteDelay"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultProgressWriteDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The most runs' writes one logbook transaction carries (cross-run group commit).</summary>
    /// <value>Default 512. Must be at least 1.</value>
    public int MaxRunsPerTransaction { get; set; } = 512;

    /// <summary>How many logbook transactions a silo keeps in flight at once.</summary>
    /// <value>Default 2. Must be at least 1.</value>
    public int MaxConcurrentTransactions { get; set; } = 2;

    /// <summary>Whether unfinished flows keep an Orleans reminder that wakes them on a live silo after their silo dies.</summary>
    /// <remarks>Needs a reminder service on the silo: <c>UseInMemoryReminderService()</c> for a single silo, ADO.NET reminders for
    /// a cluster. Without it (<see langword="false"/>), a run whose silo died resumes only when something calls it.</remarks>
    /// <value>Default <see langword="true"/>.</value>
    public bool ResumeWithReminders { get; set; } = true;

    /// <summary>How often the resume reminder of an unfinished flow fires (Orleans' minimum reminder period is one minute).</summary>
    /// <value>Default 1 minute.</value>
    public TimeSpan ResumeCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many flow events (state changes, progress) are buffered for subscribers and the dashboard.</summary>
    /// <value>Default 4096. Must be at least 1.</value>
    public int EventBufferSize { get; set; } = DefaultEventBufferSize;

    /// <summary>The name of an Orleans grain storage provider the storage extensions register for hosts' own grains.</summary>
    /// <remarks>TaskFlow's runs are kept in their logbooks (<c>AddTaskFlowMemoryStorage</c>, <c>AddTaskFlowSqlite</c>,
    /// <c>AddTaskFlowPostgreSql</c>), not in grain storage.</remarks>
    /// <value>Default <c>"taskflow"</c>. Must not be empty.</value>
    public string StorageProviderName { get; set; } = DefaultStorageProviderName;

    /// <summary>Input and result names whose values never leave a task in clear, e.g. <c>password</c>: snapshots, results,
    /// events, listeners, logs (and so the CLI and the dashboard) show <c>***</c>, failure messages that quote such a value have
    /// it replaced by <c>***</c>, and the logbook stores it encrypted with <see cref="EncryptionKeys"/>. Tasks that require
    /// it receive it in clear.</summary>
    /// <value>Default: none. When set, <see cref="EncryptionKeys"/> must hold a key.</value>
    public IList<string> MaskedKeys { get; } = [];

    /// <summary>Keys that encrypt masked values at rest (AES-256-GCM), by id: each a base64 string of 32 random bytes
    /// (<c>openssl rand -base64 32</c>), e.g. <c>TaskFlow__EncryptionKeys__k1=...</c>. Every silo of a cluster needs the same
    /// keys. Keep an old key while runs sealed with it are kept.</summary>
    /// <value>Default: none.</value>
    public IDictionary<string, string> EncryptionKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The id in <see cref="EncryptionKeys"/> new values are sealed with.</summary>
    /// <value>Default: the only key, when there is one.</value>
    public string? EncryptionKeyId { get; set; }
}
