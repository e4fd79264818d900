namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Settings of TaskFlow on a silo: executor spread, group commit and storage.</summary>
/// <remarks>Set them with <c>AddTaskFlow(t =&gt; t.Configure(o =&gt; ...))</c>; <see cref="TaskFlowOptionsValidator"/>
/// checks them when the silo starts.</remarks>
public sealed class TaskFlowOptions
{
    /// <summary>The default <see cref="ExecutorPoolSize"/>.</summary>
    public const int DefaultExecutorPoolSize = 64;

    /// <summary>The default <see cref="MaxUnpersistedTransitions"/>.</summary>
    public const int DefaultMaxUnpersistedTransitions = 1024;

    /// <summary>The default <see cref="MaxCommitDelay"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultMaxCommitDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="EventBufferSize"/>.</summary>
    public const int DefaultEventBufferSize = 4096;

    /// <summary>The default <see cref="StorageProviderName"/>.</summary>
    public const string DefaultStorageProviderName = "taskflow";

    /// <summary>How many executor grain keys the engine spreads task calls over.</summary>
    /// <remarks>A bounded key space lets executor activations be reused while random placement spreads them over
    /// the silos. More keys spread load more evenly across silos; fewer keep fewer activations alive.</remarks>
    /// <value>Default 64. Must be at least 1.</value>
    public int ExecutorPoolSize { get; set; } = DefaultExecutorPoolSize;

    /// <summary>The group-commit window: how many state transitions may be applied but not yet persisted.</summary>
    /// <remarks>The engine keeps one storage write in flight and folds the transitions made meanwhile into the next
    /// write. When this many are waiting, it stops dispatching until the write lands. After a crash, atoms whose
    /// transitions were not yet persisted run again (execution is at least once).</remarks>
    /// <value>Default 1024. Must be at least 1.</value>
    public int MaxUnpersistedTransitions { get; set; } = DefaultMaxUnpersistedTransitions;

    /// <summary>The longest a state transition waits before a commit starts that includes it.</summary>
    /// <remarks>A commit starts when half of <see cref="MaxUnpersistedTransitions"/> are waiting, when this much time has
    /// passed since the oldest unpersisted transition, or when something needs durability (the flow's outcome, strict
    /// mode, a full window). Waiting a little lets one write carry many transitions: each write rewrites the flow's whole
    /// progress, so committing after every transition of a large flow would cost O(flow size) per transition.</remarks>
    /// <value>Default 100 ms. Must be positive.</value>
    public TimeSpan MaxCommitDelay { get; set; } = DefaultMaxCommitDelay;

    /// <summary>Whether to persist state before every dispatch, as TaskFlow does (strict mode).</summary>
    /// <remarks>Strict mode bounds what re-runs after a crash to the atoms that were running, at the cost of one
    /// storage write per transition (about 2 ms each on PostgreSQL).</remarks>
    /// <value>Default <see langword="false"/> (group commit).</value>
    public bool PersistBeforeDispatch { get; set; }

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

    /// <summary>The name of the Orleans grain storage provider that holds flow and storage grain state.</summary>
    /// <remarks>The host registers the provider, e.g. <c>siloBuilder.AddMemoryGrainStorage("taskflow")</c>;
    /// <c>AddTaskFlow</c> does not.</remarks>
    /// <value>Default <c>"taskflow"</c>. Must not be empty.</value>
    public string StorageProviderName { get; set; } = DefaultStorageProviderName;

    /// <summary>Input and result names whose values listeners must not show (logged as <c>***</c>), e.g. <c>password</c>.</summary>
    /// <value>Default: none.</value>
    public IList<string> MaskedKeys { get; } = [];
}
