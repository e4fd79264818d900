using System.Diagnostics.Metrics;

namespace TaskFlow.Orleans.Grains.Diagnostics;

/// <summary>
/// The engine's metrics, on the <c>TaskFlow.Orleans</c> meter: collect them with OpenTelemetry
/// (<c>AddMeter("TaskFlow.Orleans")</c>) or a <see cref="MeterListener"/>.
/// </summary>
public static class TaskFlowMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "TaskFlow.Orleans";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Grain-storage writes made by flows, tagged <c>record</c>: definition, progress, setup or results.</summary>
    public static readonly Counter<long> StorageWrites = Meter.CreateCounter<long>("taskflow.storage.writes", description: "Grain-storage writes made by flows.");

    /// <summary>Execute and revert calls that finished, tagged <c>action</c> (execute or revert) and <c>outcome</c> (success or failure).</summary>
    public static readonly Counter<long> AtomCalls = Meter.CreateCounter<long>("taskflow.atom.calls", description: "Execute and revert calls that finished.");

    /// <summary>Flows that reached a durable terminal state, tagged <c>state</c>.</summary>
    public static readonly Counter<long> FlowsFinished = Meter.CreateCounter<long>("taskflow.flows.finished", description: "Flows that reached a durable terminal state.");

    internal static void Wrote(string record) => StorageWrites.Add(1, new KeyValuePair<string, object?>("record", record));
}
