using Spectre.Console;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary>Prints a flow's transitions as they happen, then its outcome.</summary>
internal static class FlowPrinter
{
    public static void PrintOutcome(FlowSnapshot snapshot)
    {
        var colour = Colour(snapshot.State);
        AnsiConsole.MarkupLine($"Flow [bold]{Markup.Escape(snapshot.FlowName)}[/] ({Markup.Escape(snapshot.FlowId)}) {(snapshot.IsFinished ? "ended" : "is")} [{colour}]{StateNames.Of(snapshot.State)}[/].");
        if (snapshot.State == FlowState.Success && !snapshot.Results.IsEmpty)
        {
            var table = new Table().AddColumn("result").AddColumn("value");
            foreach (var (name, value) in snapshot.Results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value?.ToString() ?? "null"));
            }

            AnsiConsole.Write(table);
        }

        foreach (var (atom, failure) in snapshot.Failures)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(atom)} failed:[/] {Markup.Escape(failure.ToString())}");
        }
    }

    /// <summary>Shows a run as it stands, then each change as it happens until it finishes, and how it ended.</summary>
    /// <remarks>A finished run is shown from its logbook without waking it; an unfinished one is followed through its engine
    /// (which a query wakes, as <c>status</c> does), from the snapshot on, so no change is shown twice or missed.</remarks>
    /// <returns>The run as it ended.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    /// <exception cref="CliException">Contact with the run was lost and not regained within <paramref name="reattachTimeout"/>.</exception>
    public static async Task<FlowSnapshot> WatchAsync(ITaskFlowClient client, string flowId, TimeSpan reattachTimeout, CancellationToken cancellationToken)
    {
        var stored = await client.GetStoredSnapshotAsync(flowId, cancellationToken);
        if (stored.IsFinished)
        {
            PrintSnapshot(stored);
            return stored;
        }

        var handle = client.GetFlowHandle(flowId);
        var snapshot = await handle.GetSnapshotAsync(cancellationToken);
        PrintAtoms(snapshot);
        if (!snapshot.IsFinished)
        {
            AnsiConsole.MarkupLine($"Flow [bold]{Markup.Escape(snapshot.FlowName)}[/] ({Markup.Escape(flowId)}) is " +
                $"[{Colour(snapshot.State)}]{StateNames.Of(snapshot.State)}[/]; watching it (Ctrl+C stops watching, not the flow).");
            snapshot = await new FlowFollower(client, reattachTimeout).FollowAsync(flowId, snapshot.EventSequence, cancellationToken);
        }

        PrintOutcome(snapshot);
        return snapshot;
    }

    public static void PrintSnapshot(FlowSnapshot snapshot)
    {
        PrintAtoms(snapshot);
        PrintOutcome(snapshot);
    }

    public static void PrintAtoms(FlowSnapshot snapshot)
    {
        var table = new Table().AddColumn("atom").AddColumn("task").AddColumn("state").AddColumn("result / failure").AddColumn("duration");
        foreach (var atom in snapshot.Atoms)
        {
            var detail = atom.Failure?.ToString() ?? atom.Result?.ToString() ?? "";
            var duration = atom is { StartedAt: { } start, FinishedAt: { } end } ? $"{(end - start).TotalMilliseconds:F0} ms" : "";
            table.AddRow(Markup.Escape(atom.Name), Markup.Escape(atom.TaskName), $"[{Colour(atom.State)}]{StateNames.Of(atom.State)}[/]",
                Markup.Escape(detail), duration);
        }

        AnsiConsole.Write(table);
    }

    public static string Format(FlowEvent flowEvent)
    {
        var time = flowEvent.Timestamp.ToLocalTime().ToString("HH:mm:ss.fff");
        if (flowEvent.FlowState is { } flowState)
        {
            return $"[grey]{time}[/] flow [bold]{Markup.Escape(flowEvent.Name)}[/] [{Colour(flowState)}]{StateNames.Of(flowState)}[/]";
        }

        if (flowEvent.Progress is { } progress)
        {
            return $"[grey]{time}[/]   {Markup.Escape(flowEvent.Name),-14} [grey]{progress:P0} {Markup.Escape(flowEvent.ProgressDetails ?? "")}[/]";
        }

        var state = flowEvent.AtomState!.Value;
        var detail = state switch
        {
            AtomState.Success => $" -> {Markup.Escape(flowEvent.Result?.ToString() ?? "null")}",
            AtomState.Failure or AtomState.RevertFailure => $" [red]{Markup.Escape(flowEvent.Failure?.ToString() ?? "")}[/]",
            _ => "",
        };
        return $"[grey]{time}[/]   {Markup.Escape(flowEvent.Name),-14} [{Colour(state)}]{StateNames.Of(state)}[/]{detail}";
    }

    private static string Colour(FlowState state) => state switch
    {
        FlowState.Success => "green",
        FlowState.Reverted => "yellow",
        FlowState.Failure => "red",
        _ => "blue",
    };

    private static string Colour(AtomState state) => state switch
    {
        AtomState.Success => "green",
        AtomState.Failure or AtomState.RevertFailure => "red",
        AtomState.Reverting or AtomState.Reverted => "yellow",
        _ => "blue",
    };
}
