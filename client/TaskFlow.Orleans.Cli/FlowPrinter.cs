using Spectre.Console;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary>Prints a flow's transitions as they happen, then its outcome.</summary>
internal static class FlowPrinter
{
    public static async Task<FlowSnapshot> FollowAsync(FlowHandle handle, CancellationToken cancellationToken)
    {
        await foreach (var flowEvent in handle.WatchAsync(cancellationToken))
        {
            AnsiConsole.MarkupLine(Format(flowEvent));
        }

        return await handle.GetSnapshotAsync(cancellationToken);
    }

    public static void PrintOutcome(FlowSnapshot snapshot)
    {
        var colour = Colour(snapshot.State);
        AnsiConsole.MarkupLine($"Flow [bold]{Markup.Escape(snapshot.FlowName)}[/] ({Markup.Escape(snapshot.FlowId)}) ended [{colour}]{StateNames.Of(snapshot.State)}[/].");
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

    public static void PrintSnapshot(FlowSnapshot snapshot)
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
        PrintOutcome(snapshot);
    }

    private static string Format(FlowEvent flowEvent)
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
