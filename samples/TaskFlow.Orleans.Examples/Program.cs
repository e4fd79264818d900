using TaskFlow.Orleans.Examples;

// taskflow-examples <name> [arguments]: runs one of TaskFlow's examples against an in-process silo; `list` shows them.
// Examples that keep their runs (persistence_example, resume_volume_create) use the SQLite file in TASKFLOW_EXAMPLES_DB,
// by default taskflow-examples.db in the temporary directory.
if (args is not [var name, ..] || name is "-h" or "--help")
{
    Console.Error.WriteLine("Usage: taskflow-examples <example>   (or: taskflow-examples list)");
    Console.Error.WriteLine("Examples: " + string.Join(", ", ExampleCatalog.All.Select(e => e.Name)));
    return args.Length == 0 || args is ["-h"] or ["--help"] ? 0 : 2;
}

if (name == "list")
{
    foreach (var each in ExampleCatalog.All)
    {
        Console.WriteLine(each.Name);
    }

    return 0;
}

if (ExampleCatalog.Find(name) is not { } example)
{
    Console.Error.WriteLine($"No example is named '{name}'. Run one of: {string.Join(", ", ExampleCatalog.All.Select(e => e.Name))}.");
    return 2;
}

var store = example.NeedsStore
    ? Environment.GetEnvironmentVariable("TASKFLOW_EXAMPLES_DB") is { Length: > 0 } path ? path : Path.Combine(Path.GetTempPath(), "taskflow-examples.db")
    : null;
await using var host = await ExampleHost.StartAsync(store, args[1..]);
try
{
    await example.RunAsync(host);
    return 0;
}
catch (Exception exception) when (exception is TaskFlow.Orleans.TaskFlowException or TimeoutException)
{
    Console.Error.WriteLine($"Example '{example.Name}' failed: {exception.Message}");
    return 1;
}
