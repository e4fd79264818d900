using TaskFlow.Orleans.Examples;

// taskflow-examples <name>: runs one of TaskFlow's examples against an in-process silo; `list` shows them.
if (args is not [var name] || name is "-h" or "--help")
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

await using var host = await ExampleHost.StartAsync();
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
