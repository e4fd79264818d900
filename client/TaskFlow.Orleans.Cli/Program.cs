using System.CommandLine;
using Spectre.Console;
using TaskFlow.Orleans;
using TaskFlow.Orleans.Cli;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Samples.BootServer;
using TaskFlow.Orleans.States;

var gatewayOption = new Option<int>("--gateway") { Description = "The gateway port of a silo on this machine.", DefaultValueFactory = _ => 30000 };
var clusterOption = new Option<string>("--cluster-id") { Description = "The cluster id (must match the silo's).", DefaultValueFactory = _ => "dev" };
var serviceOption = new Option<string>("--service-id") { Description = "The service id (must match the silo's).", DefaultValueFactory = _ => "taskflow" };
var noInProcessOption = new Option<bool>("--no-in-process") { Description = "Fail instead of starting an in-process silo when none is reachable." };
var postgresOption = new Option<string?>("--postgres")
{
    Description = "Find the cluster's gateways in PostgreSQL (a connection string), for silos clustered there.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_POSTGRES_CLUSTER"),
};

var tlsCertificateOption = new Option<string?>("--tls-cert")
{
    Description = "This client's certificate for a cluster with TLS on: a .pfx (password in TASKFLOW_TLS_PASSWORD) or a PEM file with --tls-key.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_CERT"),
};
var tlsKeyOption = new Option<string?>("--tls-key")
{
    Description = "The PEM private key of --tls-cert (password, if encrypted, in TASKFLOW_TLS_PASSWORD).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_KEY"),
};
var tlsCaOption = new Option<string?>("--tls-ca")
{
    Description = "The PEM file of the cluster's CA: TLS is on when it is given, and only gateways with a certificate of this CA are trusted.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_CA"),
};
var connectTimeoutOption = new Option<int>("--connect-timeout")
{
    Description = "Seconds to try to reach the cluster before giving up.",
    DefaultValueFactory = _ => 20,
};

ConnectionSettings Settings(ParseResult result) => new(
    result.GetValue(gatewayOption), result.GetValue(clusterOption)!, result.GetValue(serviceOption)!, !result.GetValue(noInProcessOption),
    result.GetValue(postgresOption))
{
    Tls = ClusterSession.TlsFrom(result.GetValue(tlsCertificateOption), result.GetValue(tlsKeyOption), result.GetValue(tlsCaOption)),
    ConnectTimeout = TimeSpan.FromSeconds(result.GetValue(connectTimeoutOption)),
};

var factoryArgument = new Argument<string>("factory") { Description = "The name of a flow factory registered on the silos, e.g. boot-server." };
var inputOption = new Option<string[]>("--input", "-i") { Description = "A flow input as name=value; repeat for several.", AllowMultipleArgumentsPerToken = false };
var flowIdOption = new Option<string?>("--flow-id") { Description = "The run's id (default: a new GUID)." };
var run = new Command("run", "Start a registered flow, print each transition as it happens, then the outcome.")
{
    factoryArgument, inputOption, flowIdOption,
};
run.SetAction(async (result, cancellationToken) =>
{
    var runId = result.GetValue(flowIdOption);
    if (runId is not null)
    {
        CheckFlowId(runId, "--flow-id");
    }

    var inputs = InputParser.Parse(result.GetValue(inputOption) ?? []);
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    var snapshot = await RunAndPrintAsync(session.Client, result.GetValue(factoryArgument)!, inputs, runId, cancellationToken);
    return snapshot.State == FlowState.Success ? 0 : 1;
});

var flowIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var status = new Command("status", "Show a flow run: every atom's state, result or failure, and timings.") { flowIdArgument };
status.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(flowIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
    var snapshot = await session.Client.GetFlowHandle(flowId).GetSnapshotAsync(cancellationToken);
    FlowPrinter.PrintSnapshot(snapshot);
    return 0;
});

var showIdArgument = new Argument<string>("flow-id") { Description = "The run's id." };
var show = new Command("show", "Show a run as its logbook records it, without waking it (a crashed or stopped run stays as it is).") { showIdArgument };
show.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(showIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
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
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
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
var watch = new Command("watch", "Show a run as it stands, then each change as it happens until it ends (Ctrl+C stops watching, not the run).")
{
    watchIdArgument,
};
watch.SetAction(async (result, cancellationToken) =>
{
    var flowId = CheckFlowId(result.GetValue(watchIdArgument)!);
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
    try
    {
        var snapshot = await FlowPrinter.WatchAsync(session.Client, flowId, cancellationToken);
        return snapshot.State == FlowState.Success ? 0 : 1;
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        ClusterSession.Messages.MarkupLine($"[grey]Stopped watching {Markup.Escape(flowId)}; the run goes on.[/]");
        return 130;
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
    query.Validate();
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
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
        await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
        var status = await act(session.Client.GetFlowHandle(flowId), cancellationToken);
        AnsiConsole.MarkupLine($"Flow {Markup.Escape(status.FlowId)} is {StateNames.Of(status.State)}.");
        return 0;
    });
    return command;
}

var suspend = Control("suspend", "Suspend a run: running tasks finish, nothing new starts.", (h, ct) => h.SuspendAsync(ct));
var resume = Control("resume", "Resume a suspended run.", (h, ct) => h.ResumeAsync(ct));
var cancel = Control("cancel", "Cancel a run: what ran is reverted.", (h, ct) => h.CancelAsync("Cancelled from the command line.", ct));

var demo = new Command("demo", "Run the boot-server sample twice: once succeeding, once failing at boot-vm and reverting.");
demo.SetAction(async (result, cancellationToken) =>
{
    await using var session = await ClusterSession.OpenAsync(Settings(result), cancellationToken);
    AnsiConsole.Write(new Rule("[green]1. boot-server with a known image: every task succeeds[/]").LeftJustified());
    var good = await RunAndPrintAsync(session.Client, BootServerFlow.Name,
        new FlowInputs { ["network"] = "tenant-a", ["golden-image"] = "ubuntu-24.04" }, null, cancellationToken);
    AnsiConsole.Write(new Rule("[yellow]2. boot-server with an unknown image: boot-vm fails, everything before it is reverted[/]").LeftJustified());
    var bad = await RunAndPrintAsync(session.Client, BootServerFlow.Name,
        new FlowInputs { ["network"] = "tenant-b", ["golden-image"] = "windows-95" }, null, cancellationToken);
    var asExpected = good.State == FlowState.Success && bad.State == FlowState.Reverted;
    AnsiConsole.MarkupLine(asExpected
        ? "[green]Demo finished: one flow succeeded, one failed and was reverted in reverse order.[/]"
        : "[red]Demo did not end as expected.[/]");
    AnsiConsole.MarkupLine(session.InProcess
        ? "[grey]See flows in the dashboard: start a silo ('dotnet run --project silo/TaskFlow.Orleans.Silo') and open http://127.0.0.1:8080/taskflow[/]"
        : $"[grey]See these runs in the dashboard: http://127.0.0.1:8080/taskflow/runs/{Markup.Escape(bad.FlowId)} (a silo's default), or run 'taskflow dashboard'.[/]");
    return asExpected ? 0 : 1;
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
stress.SetAction(async (result, cancellationToken) =>
{
    var deadline = DateTimeOffset.UtcNow.AddSeconds(result.GetValue(timeoutOption));
    await using var session = await ClusterSession.OpenAsync(Settings(result) with { AllowInProcess = false }, cancellationToken);
    var prefix = result.GetValue(prefixOption)!;
    var count = result.GetValue(countOption);
    if (!result.GetValue(waitOnlyOption))
    {
        await StressRun.StartAllAsync(session.Client, result.GetValue(factoryArgument)!, InputParser.Parse(result.GetValue(inputOption) ?? []),
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

var root = new RootCommand("taskflow: run and inspect TaskFlow.Orleans flows.") { run, status, show, list, graph, watch, suspend, resume, cancel, demo, stress, dashboardCommand, PurgeCommand.Create(Settings) };
foreach (var option in new Option[] { gatewayOption, clusterOption, serviceOption, noInProcessOption, postgresOption, tlsCertificateOption, tlsKeyOption, tlsCaOption, connectTimeoutOption })
{
    option.Recursive = true;
    root.Options.Add(option);
}

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception exception) when (exception is TaskFlowException or FormatException or InvalidOperationException or ArgumentException)
{
    // On standard error: standard output may be a file the command writes (graph > flow.dot).
    ClusterSession.Messages.MarkupLine($"[red]{Markup.Escape(exception.Message)}[/]");
    return 2;
}
catch (OperationCanceledException)
{
    ClusterSession.Messages.MarkupLine("[grey]Cancelled.[/]");
    return 130;
}

// A bad id is refused before anything connects, with the rule it breaks (the silos check it again, against their own limit).
static string CheckFlowId(string flowId, string name = "flow-id")
{
    if (TaskFlow.Orleans.Limits.FlowIds.Problem(flowId, TaskFlow.Orleans.Limits.TaskFlowLimits.DefaultMaxFlowIdLength) is { } problem)
    {
        throw new ArgumentException($"{problem} ({name})");
    }

    return flowId;
}

static async Task<TaskFlow.Orleans.Snapshots.FlowSnapshot> RunAndPrintAsync(
    ITaskFlowClient client, string factory, FlowInputs inputs, string? flowId, CancellationToken cancellationToken)
{
    var handle = await client.StartAsync(factory, inputs, new StartFlowOptions { FlowId = flowId }, cancellationToken);
    AnsiConsole.MarkupLine($"Started [bold]{Markup.Escape(factory)}[/] as {Markup.Escape(handle.FlowId)}");
    var snapshot = await FlowPrinter.FollowAsync(handle, cancellationToken);
    FlowPrinter.PrintOutcome(snapshot);
    return snapshot;
}
