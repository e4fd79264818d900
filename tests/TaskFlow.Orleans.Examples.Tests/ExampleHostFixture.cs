namespace TaskFlow.Orleans.Examples.Tests;

/// <summary>One in-process silo with every example's tasks, shared by the tests; examples run one at a time.</summary>
public sealed class ExampleHostFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public ExampleHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ExampleHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Runs one example and returns what it printed, lines ending in \n.</summary>
    public async Task<string> RunAsync(string name)
    {
        var example = ExampleCatalog.Find(name) ?? throw new InvalidOperationException($"No example '{name}'.");
        await _one.WaitAsync();
        try
        {
            var output = new StringWriter { NewLine = "\n" };
            Host.Console.Out = output;
            await example.RunAsync(Host).WaitAsync(TimeSpan.FromSeconds(60));
            return output.ToString();
        }
        finally
        {
            Host.Console.Out = TextWriter.Null;
            _one.Release();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ExamplesCollection : ICollectionFixture<ExampleHostFixture>
{
    public const string Name = "examples";
}
