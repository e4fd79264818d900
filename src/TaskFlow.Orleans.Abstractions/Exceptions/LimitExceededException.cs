namespace TaskFlow.Orleans;

/// <summary>Thrown when a flow id, an input, a run's payload or a flow's size is over one of the limits in
/// <see cref="Limits.TaskFlowLimits"/>; nothing was stored.</summary>
/// <remarks>The message names the limit, the size of the value and the setting to change, e.g.
/// <c>Input 'image' is 104,857,612 bytes serialized, over the limit of 1,048,576 bytes (ValueSize). Pass large data by
/// reference (a URL or a key into your own store), or raise TaskFlow:Limits:MaxValueBytes.</c></remarks>
[GenerateSerializer]
[Alias("taskflow.LimitExceededException")]
public sealed class LimitExceededException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limitName">The limit, e.g. <c>ValueSize</c>.</param>
    /// <param name="subject">What is over it, e.g. <c>Input 'image'</c>.</param>
    /// <param name="actual">Its size (at least this much: sizes are measured only up to just past the limit).</param>
    /// <param name="maximum">The limit.</param>
    /// <param name="unit">The unit of <paramref name="actual"/> and <paramref name="maximum"/>, e.g. <c>bytes serialized</c>.</param>
    /// <param name="setting">The setting that holds the limit, e.g. <c>TaskFlow:Limits:MaxValueBytes</c>.</param>
    /// <param name="advice">What to do instead of raising the limit, or <see langword="null"/>.</param>
    public LimitExceededException(string limitName, string subject, long actual, long maximum, string unit, string setting, string? advice = null)
        : base(Format(limitName, subject, actual, maximum, unit, setting, advice))
    {
        LimitName = limitName;
        Actual = actual;
        Maximum = maximum;
        Setting = setting;
    }

    /// <summary>The limit that was exceeded: <c>FlowIdLength</c>, <c>ValueSize</c>, <c>RunPayloadSize</c> or <c>AtomsPerFlow</c>.</summary>
    [Id(0)] public string LimitName { get; }

    /// <summary>The size of the value (at least this much: large values are measured only up to just past the limit).</summary>
    [Id(1)] public long Actual { get; }

    /// <summary>The limit.</summary>
    [Id(2)] public long Maximum { get; }

    /// <summary>The setting that holds the limit (a configuration key of the silos, e.g. <c>TaskFlow:Limits:MaxValueBytes</c>).</summary>
    [Id(3)] public string Setting { get; }

    /// <summary>The message for a limit: what is over which limit by how much, and what to change.</summary>
    /// <param name="limitName">The limit.</param>
    /// <param name="subject">What is over it.</param>
    /// <param name="actual">Its size.</param>
    /// <param name="maximum">The limit.</param>
    /// <param name="unit">The unit.</param>
    /// <param name="setting">The setting.</param>
    /// <param name="advice">What to do instead, or <see langword="null"/>.</param>
    /// <returns>The message.</returns>
    internal static string Format(string limitName, string subject, long actual, long maximum, string unit, string setting, string? advice)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var over = actual > maximum ? string.Format(inv, "{0:N0}", actual) : string.Format(inv, "more than {0:N0}", maximum);
        var fix = advice is null ? $"Raise {setting} on the silos if this is intended." : $"{advice}, or raise {setting} on the silos.";
        return string.Format(inv, "{0} is {1} {2}, over the limit of {3:N0} ({4}). {5}", subject, over, unit, maximum, limitName, fix);
    }
}
