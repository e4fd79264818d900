namespace TaskFlow.Orleans.Limits;

/// <summary>The limits a silo puts on what a run may hold, bound from the <c>TaskFlow:Limits</c> configuration section: a
/// value over one is refused before anything is stored, with a <see cref="LimitExceededException"/> naming the limit.</summary>
/// <remarks>
/// <para>Silos enforce them (<c>AddTaskFlow(t =&gt; t.ConfigureLimits(...))</c>); a <c>TaskFlowClient</c> created with the same
/// limits also checks flow ids and inputs before sending, so a bad request never goes over the wire. Set them alike on every
/// silo of a cluster.</para>
/// <para>How many events a run keeps for watchers is <c>TaskFlowOptions.EventBufferSize</c> (default 4096).</para>
/// </remarks>
public sealed class TaskFlowLimits
{
    /// <summary>The configuration section the silo host binds: <c>TaskFlow:Limits</c>.</summary>
    public const string SectionName = "TaskFlow:Limits";

    /// <summary>The default <see cref="MaxFlowIdLength"/>: 200 characters.</summary>
    public const int DefaultMaxFlowIdLength = 200;

    /// <summary>The largest <see cref="MaxFlowIdLength"/> a silo accepts: 500 characters.</summary>
    /// <remarks>A flow id is the key of its run's rows and reminder (with the grain type and service id in front), in B-tree
    /// indexes whose entries PostgreSQL caps at 2,704 bytes; 500 characters are at most 2,000 bytes of UTF-8.</remarks>
    public const int MaxFlowIdLengthCeiling = 500;

    /// <summary>The default <see cref="MaxValueBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxValueBytes = 1L << 20;

    /// <summary>The default <see cref="MaxRunPayloadBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxRunPayloadBytes = 16L << 20;

    /// <summary>The default <see cref="MaxAtomsPerFlow"/>: 200,000.</summary>
    public const int DefaultMaxAtomsPerFlow = 200_000;

    /// <summary>The default <see cref="MaxMessageBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxMessageBytes = 64 << 20;

    /// <summary>The longest flow id, in characters (UTF-16 code units).</summary>
    /// <remarks>Ids are keys of database rows, indexes and reminders, and are shown in logs and pages: 200 is ample for a
    /// meaningful id (a GUID is 32) and keeps every key well inside the databases' index limits. The characters allowed are
    /// described in <see cref="FlowIds"/>.</remarks>
    /// <value>Default 200. From 1 to 500.</value>
    public int MaxFlowIdLength { get; set; } = DefaultMaxFlowIdLength;

    /// <summary>The largest single input or task result, in bytes as Orleans serializes it.</summary>
    /// <remarks>Every value is stored in the run's logbook, sent to each task that reads it and shown in snapshots: 1 MiB is
    /// generous for parameters and results, and keeps a run's writes small. Pass bulk data by reference (a URL, a blob key).
    /// A task whose result is larger fails, with a failure naming this limit, and the flow reverts as for any failure.</remarks>
    /// <value>Default 1 MiB (1,048,576). At least 1 KiB, at most <see cref="MaxRunPayloadBytes"/>.</value>
    public long MaxValueBytes { get; set; } = DefaultMaxValueBytes;

    /// <summary>The most bytes of inputs and results one run may store over its life (results of re-run atoms included).</summary>
    /// <remarks>A run's snapshot carries all of its values in one message, and its engine keeps them in memory: 16 MiB keeps
    /// both well inside <see cref="MaxMessageBytes"/>. A task whose result would take the run over it fails, naming this limit.</remarks>
    /// <value>Default 16 MiB (16,777,216). At least <see cref="MaxValueBytes"/>, less than <see cref="MaxMessageBytes"/>.</value>
    public long MaxRunPayloadBytes { get; set; } = DefaultMaxRunPayloadBytes;

    /// <summary>The most atoms (tasks and retry controllers) one flow may have.</summary>
    /// <remarks>Each atom costs the engine memory and the logbook a row: 200,000 is twice the 100,000-task flows the engine is
    /// built to run, and refuses a runaway generated definition before it is compiled into a graph.</remarks>
    /// <value>Default 200,000. At least 1.</value>
    public int MaxAtomsPerFlow { get; set; } = DefaultMaxAtomsPerFlow;

    /// <summary>The largest Orleans message body a silo accepts or sends, in bytes (Orleans' <c>MaxMessageBodySize</c>).</summary>
    /// <remarks>A silo reads a message's length before its body and closes a connection that announces a larger one, so an
    /// oversized request costs it no memory. Orleans' own default is 100 MB; 64 MiB leaves room for the largest run a snapshot
    /// carries (<see cref="MaxRunPayloadBytes"/> plus per-atom details of a large flow).</remarks>
    /// <value>Default 64 MiB (67,108,864). Greater than <see cref="MaxRunPayloadBytes"/>.</value>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;
}
