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

    /// <summary>Execute and revert calls that finished, tagged <c>action</c> (execute or revert) and <c>outcome</c> (success or failure).</summary>
    internal static readonly Counter<long> AtomCalls = Meter.CreateCounter<long>("taskflow.atom.calls", description: "Execute and revert calls that finished.");

    /// <summary>Flows that reached a durable terminal state, tagged <c>state</c>.</summary>
    internal static readonly Counter<long> FlowsFinished = Meter.CreateCounter<long>("taskflow.flows.finished", description: "Flows that reached a durable terminal state.");

    /// <summary>Logbook transactions committed by the cross-run group commit.</summary>
    internal static readonly Counter<long> LogbookTransactions = Meter.CreateCounter<long>("taskflow.logbook.transactions", description: "Logbook transactions committed.");

    /// <summary>Runs written per logbook transaction (how many runs shared one commit).</summary>
    internal static readonly Histogram<int> LogbookRunsPerTransaction = Meter.CreateHistogram<int>("taskflow.logbook.runs_per_transaction", description: "Runs written per logbook transaction.");

    /// <summary>Calls from external clients refused because only silos may make them (see <see cref="SiloOnlyAttribute"/>),
    /// tagged <c>interface</c> and <c>method</c>.</summary>
    internal static readonly Counter<long> CallsRefused = Meter.CreateCounter<long>("taskflow.calls.refused", description: "Calls from external clients to silo-only grain methods, refused.");

    internal static void LogbookCommitted(int runs)
    {
        LogbookTransactions.Add(1);
        LogbookRunsPerTransaction.Record(runs);
    }
}
