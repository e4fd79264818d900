using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using Spectre.Console;
using TaskFlow.Orleans;
using TaskFlow.Orleans.Cli;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.States;

var connection = new ConnectionOptions();
ConnectionSettings Settings(ParseResult result) => connection.Settings(result);

var factoryArgument = new Argument<string>("factory") { Description = "The name of a flow factory registered on the silos, e.g. boot-server." };
var inputOption = new Option<string[]>("--input", "-i") { Description = "A flow input as name=value; repeat for several.", AllowMultipleArgumentsPerToken = false };
var flowIdOption = new Option<string?>("--flow-id") { Description = "The run's id (default: a new GUID)." };
var run = new Command("run", "Start a registered flow, print each transition as it happens, then the outcome (exit code 0 if it ended SUCCESS, 1 if not).")
{
    factoryArgument, inputOption, flowIdOption, connection.ReattachTimeout,
};
run.SetAction(async (result, cancellationToken) =>
{
    var runId = result.GetValue(flowIdOption);
    if (runId is not null)
    {
        CheckFlowId(runId, "--flow-id");
    }

    var factory = CheckName(result.GetValue(factoryArgument), "factory");
    var inputs = InputParser.Parse(result.GetValue(inputOption) ?? []);
    var reattach = TimeSpan.FromSeconds(result.GetValue(connection.ReattachTimeout));
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var snapshot = await RunAndPrintAsync(session.Client, factory, inputs, runId, reattach, cancellationToken);
    return Outcome(snapshot);
});

var flowIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var status = new Command("status", "Show a flow run: every atom's state, result or failure, and timings.") { flowIdArgument };
status.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(flowIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var snapshot = await session.Client.GetFlowHandle(flowId).GetSnapshotAsync(cancellationToken);
    FlowPrinter.PrintSnapshot(snapshot);
    return 0;
});

var showIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var show = new Command("show", "Show a run as its logbook records it, without waking it (a crashed or stopped run stays as it is).") { showIdArgument };
show.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(showIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var snapshot = await session.Client.GetStoredSnapshotAsync(flowId, cancellationToken);
    FlowPrinter.PrintSnapshot(snapshot);
    AnsiConsole.MarkupLine("[grey](read from the run's logbook; the run was not activated)[/]");
    return 0;
});

var graphIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var formatOption = new Option<string>("--format", "-f") { Description = $"{string.Join(", ", GraphExport.Formats)}.", DefaultValueFactory = _ => "dot" };
var outputOption = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
var graph = new Command("graph", "Draw a run's graph (DOT, Mermaid or SVG), coloured by the states its logbook records; the run is not woken.")
{
    graphIdArgument, formatOption, outputOption,
};
graph.SetAction(async (result, cancellationToken) =>
{
    // Bad options are refused before anything connects.
    var format = GraphExport.ParseFormat(result.GetValue(formatOption));
    var output = result.GetValue(outputOption);
    GraphExport.CheckOutput(output);
    var flowId = CheckFlowId(result.GetValue(graphIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var flowGraph = await session.Client.GetGraphAsync(flowId, cancellationToken);
    var snapshot = await session.Client.GetStoredSnapshotAsync(flowId, cancellationToken);
    var states = snapshot.Atoms.ToDictionary(atom => atom.Name, atom => atom.State, StringComparer.Ordinal);
    GraphExport.Write(GraphExport.Render(format, flowGraph, states), output);
    if (output is not null)
    {
        AnsiConsole.MarkupLine($"Wrote the {format} graph of {Markup.Escape(flowId)} to {Markup.Escape(output)}.");
    }

    return 0;
});

var watchIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var watch = new Command("watch", "Show a run as it stands, then each change as it happens until it ends (exit code 0 if it ended SUCCESS, 1 if not; Ctrl+C stops watching, not the run).")
{
    watchIdArgument, connection.ReattachTimeout,
};
watch.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(watchIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    try
    {
        var snapshot = await FlowPrinter.WatchAsync(session.Client, flowId, TimeSpan.FromSeconds(result.GetValue(connection.ReattachTimeout)), cancellationToken);
        return Outcome(snapshot);
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        ClusterSession.Messages.MarkupLine($"[grey]Stopped watching {Markup.Escape(flowId)}; the run goes on.[/]");
        return ExitCodes.Cancelled;
    }
});

var stateOption = new Option<string[]>("--state") { Description = "Only runs in this state (e.g. RUNNING, REVERTED); repeat for several." };
var nameOption = new Option<string?>("--name") { Description = "Only runs of this flow or flow factory name." };
var tagOption = new Option<string?>("--tag") { Description = "Only runs with this tag." };
var idPrefixOption = new Option<string?>("--id-prefix") { Description = "Only runs whose id starts with this." };
var pageSizeOption = new Option<int>("--page-size") { Description = $"Runs per page (1 to {TaskFlow.Orleans.Index.FlowQuery.MaxPageSize}).", DefaultValueFactory = _ => 50 };
var afterOption = new Option<string?>("--after") { Description = "The next-page token printed under the previous page." };
var list = new Command("list", "List the cluster's runs, newest first, from the run index (no run is activated).")
{
    stateOption, nameOption, tagOption, idPrefixOption, pageSizeOption, afterOption,
};
list.SetAction(async (result, cancellationToken) =>
{
    // The query is checked before anything connects.
    var query = new TaskFlow.Orleans.Index.FlowQuery
    {
        States = [.. (result.GetValue(stateOption) ?? []).Select(InputParser.ParseFlowState)],
        Name = result.GetValue(nameOption),
        Tag = result.GetValue(tagOption),
        IdPrefix = result.GetValue(idPrefixOption),
        PageSize = result.GetValue(pageSizeOption),
        After = result.GetValue(afterOption),
    };
    try
    {
        query.Validate();
    }
    catch (ArgumentException invalid)
    {
        throw CliException.BadInput(ErrorReport.MessageOf(invalid).Replace("FlowQuery.PageSize", "--page-size", StringComparison.Ordinal)
            .Replace("FlowQuery.After", "--after", StringComparison.Ordinal).Replace("pass the Next of a previous page, or null for the first page",
                "pass the token printed under the previous page, or none for the first page", StringComparison.Ordinal));
    }

    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    IndexPrinter.PrintPage(await session.Client.ListFlowsAsync(query, cancellationToken), query);
    return 0;
});

Command Control(string name, string description, Func<FlowHandle, CancellationToken, Task<TaskFlow.Orleans.Snapshots.FlowStatus>> act)
{
    var id = new Argument<string>("flow-id") { Description = "The run's id." };
    var command = new Command(name, description) { id };
    command.SetAction(async (result, cancellationToken) =>
    {
        var flowId = CheckFlowId(result.GetValue(id)!);
        await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
        var status = await act(session.Client.GetFlowHandle(flowId), cancellationToken);
        AnsiConsole.MarkupLine($"Flow {Markup.Escape(status.FlowId)} is {StateNames.Of(status.State)}.");
        return 0;
    });
    return command;
}

var suspend = Control("suspend", "Suspend a run: running tasks finish, nothing new starts.", (h, ct) => h.SuspendAsync(ct));
var resume = Control("resume", "Resume a suspended run.", (h, ct) => h.ResumeAsync(ct));
var cancel = Control("cancel", "Cancel a run: what ran is reverted.", (h, ct) => h.CancelAsync("Cancelled from the command line.", ct));

// The demo runs where a silo lives now (the tool references only the client library): one line says where.
var demo = new Command("demo", "Moved: run 'dotnet run --project silo/TaskFlow.Orleans.Silo -- demo' (a silo and the demo flows in one process). Exit code 2.");
demo.SetAction(_ =>
{
    Console.Error.WriteLine("error: the demo moved to the silo host: run 'dotnet run --project silo/TaskFlow.Orleans.Silo -- demo' " +
                            "(a silo and the demo flows in one process).");
    return ExitCodes.BadInput;
});

var countOption = new Option<int>("--count") { Description = "How many runs to start.", DefaultValueFactory = _ => 100 };
var prefixOption = new Option<string>("--prefix") { Description = "Run ids are <prefix>-0000, <prefix>-0001, ...", DefaultValueFactory = _ => "stress-" + Guid.NewGuid().ToString("N")[..8] };
var indexInputOption = new Option<string?>("--index-input") { Description = "An input set to each run's index (0, 1, ...), e.g. start." };
var startOnlyOption = new Option<bool>("--start-only") { Description = "Start the runs and exit without waiting for them." };
var waitOnlyOption = new Option<bool>("--wait-only") { Description = "Start nothing: wait for runs started earlier with the same --prefix and --count." };
var timeoutOption = new Option<int>("--timeout") { Description = "Seconds to keep retrying and waiting before giving up.", DefaultValueFactory = _ => 300 };
var stress = new Command("stress", "Start many runs of a flow, wait for all (riding out silo failures), print a one-line JSON summary.")
{
    factoryArgument, inputOption, countOption, prefixOption, indexInputOption, startOnlyOption, waitOnlyOption, timeoutOption,
};
countOption.Validators.Add(r => ConnectionOptions.InRange(r, "--count", 1, 1_000_000, "how many runs, e.g. --count 100"));
timeoutOption.Validators.Add(r => ConnectionOptions.InRange(r, "--timeout", 1, 86_400, "seconds, e.g. --timeout 300"));
stress.SetAction(async (result, cancellationToken) =>
{
    var factory = CheckName(result.GetValue(factoryArgument), "factory");
    var stressInputs = InputParser.Parse(result.GetValue(inputOption) ?? []);
    if (result.GetValue(startOnlyOption) && result.GetValue(waitOnlyOption))
    {
        throw CliException.BadInput("--start-only and --wait-only exclude each other: give one, or neither to start and wait.");
    }

    var deadline = DateTimeOffset.UtcNow.AddSeconds(result.GetValue(timeoutOption));
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var prefix = result.GetValue(prefixOption)!;
    var count = result.GetValue(countOption);
    if (!result.GetValue(waitOnlyOption))
    {
        await StressRun.StartAllAsync(session.Client, factory, stressInputs,
            result.GetValue(indexInputOption), prefix, count, deadline, cancellationToken);
        Console.Out.WriteLine($"started {count}");
        Console.Out.Flush();
    }

    if (result.GetValue(startOnlyOption))
    {
        return 0;
    }

    var summary = await StressRun.WaitAllAsync(session.Client, prefix, count, deadline, cancellationToken);
    Console.Out.WriteLine(StressRun.Format(summary));
    return summary.Succeeded == summary.Count ? 0 : 1;
});

var urlsOption = new Option<string>("--urls") { Description = "Where the dashboard listens.", DefaultValueFactory = _ => "http://127.0.0.1:8090" };
var readOnlyOption = new Option<bool>("--read-only") { Description = "Show runs but offer no actions (suspend, resume, cancel, re-run, purge)." };
var dashboardCommand = new Command("dashboard", "Serve the TaskFlow dashboard for a running cluster (an Orleans client web app); loopback only.")
{
    urlsOption, readOnlyOption,
};
dashboardCommand.SetAction((result, cancellationToken) =>
    DashboardHost.RunAsync(Settings(result), result.GetValue(urlsOption)!, result.GetValue(readOnlyOption), cancellationToken));

var flows = new Command("flows", "List the flow factories registered on the cluster's active silos, with the inputs each needs and the results it gives.");
flows.SetAction(async (result, cancellationToken) =>
{
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    CatalogPrinter.PrintFactories(await session.Client.GetCatalogAsync(cancellationToken));
    return 0;
});

var root = new RootCommand("taskflow: run and inspect TaskFlow.Orleans flows. " + ExitCodes.Summary)
{
    run, flows, status, show, list, graph, watch, suspend, resume, cancel, demo, stress, dashboardCommand, PurgeCommand.Create(Settings),
};
foreach (var option in connection.Global)
{
    option.Recursive = true;
    root.Options.Add(option);
}

ParseResult? parsed = null;
// Ctrl+C (or SIGTERM) cancels the command, which stops and exits 130; kept apart from a call that timed out (exit code 3).
using var interrupt = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    if (interrupt.IsCancellationRequested)
    {
        return; // a second Ctrl+C ends the process at once
    }

    context.Cancel = true;
    interrupt.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
try
{
    parsed = root.Parse(args);
    if (parsed.Action is ParseErrorAction)
    {
        // One line per problem, then where to read the usage: no help screen (it would bury the problem).
        foreach (var error in parsed.Errors)
        {
            Console.Error.WriteLine("error: " + error.Message);
        }

        var command = parsed.CommandResult.Command;
        Console.Error.WriteLine(command == root ? "See 'taskflow --help' for the commands." : $"See 'taskflow {command.Name} --help' for its usage.");
        return ExitCodes.BadInput;
    }

    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupt.Token);
}
catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return ExitCodes.Cancelled;
}
catch (Exception exception)
{
    // On standard error: standard output may be a file the command writes (graph > flow.dot).
    return ErrorReport.Report(exception, parsed is not null ? connection.IsVerbose(parsed) : ErrorReport.DebugFromEnvironment);
}

static int Outcome(TaskFlow.Orleans.Snapshots.FlowSnapshot snapshot) => snapshot.State == FlowState.Success ? ExitCodes.Success : ExitCodes.FlowDidNotSucceed;

// A name argument that is empty or blank is refused before anything connects.
static string CheckName(string? name, string what) => string.IsNullOrWhiteSpace(name)
    ? throw CliException.BadInput($"The {what} name is empty; give the name of a registered flow (taskflow flows lists them), e.g. boot-server.")
    : name;

// A bad id is refused before anything connects, with the rule it breaks (the silos check it again, against their own limit).
static string CheckFlowId(string flowId, string name = "flow-id")
{
    if (TaskFlow.Orleans.Limits.FlowIds.Problem(flowId, TaskFlow.Orleans.Limits.TaskFlowLimits.DefaultMaxFlowIdLength) is { } problem)
    {
        throw CliException.BadInput($"{problem} ({name})");
    }

    return flowId;
}

static async Task<TaskFlow.Orleans.Snapshots.FlowSnapshot> RunAndPrintAsync(
    ITaskFlowClient client, string factory, FlowInputs inputs, string? flowId, TimeSpan reattachTimeout, CancellationToken cancellationToken)
{
    var handle = await client.StartAsync(factory, inputs, new StartFlowOptions { FlowId = flowId }, cancellationToken);
    AnsiConsole.MarkupLine($"Started [bold]{Markup.Escape(factory)}[/] as {Markup.Escape(handle.FlowId)}");
    var snapshot = await new FlowFollower(client, reattachTimeout).FollowAsync(handle.FlowId, 0, cancellationToken);
    FlowPrinter.PrintOutcome(snapshot);
    return snapshot;
}
