namespace TaskFlow.Orleans.Grains.Options;

/// <summary>How long the silos keep finished runs before deleting them (configuration section
/// <see cref="SectionName"/>, e.g. <c>TaskFlow__Retention__FinishedRunsKeptFor=7.00:00:00</c>).</summary>
/// <remarks>
/// <para>One sweeper runs for the whole cluster (a grain driven by a reminder, so it survives the loss of its silo). Each
/// sweep deletes the runs that finished (SUCCESS, FAILURE, REVERTED) more than <see cref="FinishedRunsKeptFor"/> ago, their
/// logbooks and run-index entries, <see cref="BatchSize"/> runs per database statement, pausing
/// <see cref="PauseBetweenBatches"/> between batches so running flows keep the store. SUSPENDED runs are never deleted: they
/// can be resumed. Give every silo the same settings: the last silo to start decides whether the sweep is scheduled.</para>
/// <para><see cref="TaskFlowRetentionOptionsValidator"/> checks the settings when the silo starts.</para>
/// </remarks>
public sealed class TaskFlowRetentionOptions
{
    /// <summary>The configuration section: <c>TaskFlow:Retention</c>.</summary>
    public const string SectionName = "TaskFlow:Retention";

    /// <summary>The default <see cref="FinishedRunsKeptFor"/>: 30 days.</summary>
    public static readonly TimeSpan DefaultFinishedRunsKeptFor = TimeSpan.FromDays(30);

    /// <summary>The default <see cref="Interval"/>: one hour.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>The default <see cref="PauseBetweenBatches"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultPauseBetweenBatches = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>How long a finished run is kept after it finished; <see langword="null"/> or zero keeps finished runs for
    /// ever (no sweep is scheduled).</summary>
    /// <value>Default 30 days. Must not be negative.</value>
    public TimeSpan? FinishedRunsKeptFor { get; set; } = DefaultFinishedRunsKeptFor;

    /// <summary>How often the sweep runs.</summary>
    /// <value>Default one hour. At least one minute (reminders tick no faster).</value>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>How many runs one batch deletes (one database statement).</summary>
    /// <value>Default 500; from 1 to <see cref="TaskFlow.Orleans.Index.PurgeQuery.MaxBatchSize"/>.</value>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>How long the sweep waits between two batches, leaving the store to running flows.</summary>
    /// <value>Default 100 ms; zero only yields. Must not be negative.</value>
    public TimeSpan PauseBetweenBatches { get; set; } = DefaultPauseBetweenBatches;

    /// <summary>The default <see cref="DeletingShare"/>: one tenth.</summary>
    public const double DefaultDeletingShare = 0.1;

    /// <summary>The largest share of the sweep's time spent deleting: after a batch that took <c>t</c>, the sweep waits
    /// <c>t × (1 − share) / share</c> (and at least <see cref="PauseBetweenBatches"/>), so the store is busy with retention at
    /// most this share of the time, however slow a batch is on a loaded machine.</summary>
    /// <value>Default 0.1 (a batch that took 50 ms is followed by 450 ms of pause); more than 0, at most 1 (no extra pause).</value>
    public double DeletingShare { get; set; } = DefaultDeletingShare;

    /// <summary>Whether finished runs are deleted at all (<see cref="FinishedRunsKeptFor"/> is set and positive).</summary>
    public bool Enabled => FinishedRunsKeptFor is { } kept && kept > TimeSpan.Zero;
}
