using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Conformance;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Faults;

/// <summary>The real grains on PostgreSQL: a finished flow read back by a new silo, and database faults seen by a client.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlFlowDurabilityTests : IAsyncLifetime
{
    private string? _schema;
    private readonly string _serviceId = "durability-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        if (PostgreSqlTestDatabase.ConnectionString is { } server)
        {
            _schema = await PostgreSqlTestDatabase.CreateSchemaAsync(server, "durability");
        }
    }

    public async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [SkippableFact]
    public async Task Flows_FinishedOnOneSilo_ReadFromANewSiloWithStatesResultsAndFailures()
    {
        PostgreSqlTestDatabase.Require();
        var ok = "ok-" + Guid.NewGuid().ToString("N")[..8];
        var bad = "bad-" + Guid.NewGuid().ToString("N")[..8];

        await using (var first = await StartAsync())
        {
            var flows = first.Client.Services.GetRequiredService<IGrainFactory>();
            await flows.GetGrain<IFlowGrain>(ok).StartAsync(new FlowStartRequest { Definition = OkFlow() });
            await flows.GetGrain<IFlowGrain>(bad).StartAsync(new FlowStartRequest { Definition = BadFlow() });
            Assert.Equal(FlowState.Success, (await flows.GetGrain<IFlowGrain>(ok).WaitForCompletionAsync(TimeSpan.FromSeconds(30))).State);
            Assert.Equal(FlowState.Reverted, (await flows.GetGrain<IFlowGrain>(bad).WaitForCompletionAsync(TimeSpan.FromSeconds(30))).State);
        }

        await using var second = await StartAsync();
        var grains = second.Client.Services.GetRequiredService<IGrainFactory>();

        var done = await grains.GetGrain<IFlowGrain>(ok).GetSnapshotAsync();
        Assert.Equal(FlowState.Success, done.State);
        Assert.Equal(42, Assert.IsType<int>(done.Atom("answer").Result));
        Assert.Equal(5_000_000_000L, Assert.IsType<long>(done.Atom("big").Result));
        Assert.Equal("vm-42", Assert.IsType<string>(done.Atom("name").Result));
        Assert.All(done.Atoms, a => Assert.Equal(AtomState.Success, a.State));

        var reverted = await grains.GetGrain<IFlowGrain>(bad).GetSnapshotAsync();
        Assert.Equal(FlowState.Reverted, reverted.State);
        var failure = reverted.Atom("explode").Failure;
        Assert.NotNull(failure);
        Assert.Equal("System.InvalidOperationException", failure.ExceptionTypeName);
        Assert.Contains("no capacity", failure.Message);
        Assert.Equal(AtomState.Reverted, reverted.Atom("answer").State);
    }

    [SkippableFact]
    public async Task DatabaseFault_ReadOnActivationAndWrite_ReachClientWithoutDriverTypesAndRecover()
    {
        PostgreSqlTestDatabase.Require();
        await using var silo = await StartAsync();
        var grains = silo.Client.Services.GetRequiredService<IGrainFactory>();
        var missing = "never-" + Guid.NewGuid().ToString("N")[..8];
        var started = "new-" + Guid.NewGuid().ToString("N")[..8];
        // Activate the grains of the flow that will be started, so that its start writes instead of activating.
        await Assert.ThrowsAsync<FlowNotFoundException>(() => grains.GetGrain<IFlowGrain>(started).GetStatusAsync());
        // The logbook grain answers silos only (SiloOnlyAttribute): ask it from inside the silo.
        Assert.Null(await silo.Silo.Services.GetRequiredService<IGrainFactory>().GetGrain<TaskFlow.Orleans.Grains.Storage.IStorageGrain>(started).OpenAsync());

        await PostgreSqlTestDatabase.ExecuteAsync(_schema!, "ALTER TABLE taskflow_runs RENAME TO taskflow_runs_away");
        try
        {
            var read = await Record.ExceptionAsync(() => grains.GetGrain<IFlowGrain>(missing).GetStatusAsync());
            AssertNoDriverTypes(read, "Could not read the logbook");

            var write = await Record.ExceptionAsync(() => grains.GetGrain<IFlowGrain>(started).StartAsync(new FlowStartRequest { Definition = OkFlow() }));
            AssertNoDriverTypes(write, "Could not write the logbook");
        }
        finally
        {
            await PostgreSqlTestDatabase.ExecuteAsync(_schema!, "ALTER TABLE taskflow_runs_away RENAME TO taskflow_runs");
        }

        // Back: the failed activation is retried on the next call, and a flow runs to the end.
        await Assert.ThrowsAsync<FlowNotFoundException>(() => grains.GetGrain<IFlowGrain>(missing).GetStatusAsync());
        var id = "after-" + Guid.NewGuid().ToString("N")[..8];
        await grains.GetGrain<IFlowGrain>(id).StartAsync(new FlowStartRequest { Definition = OkFlow() });
        Assert.Equal(FlowState.Success, (await grains.GetGrain<IFlowGrain>(id).WaitForCompletionAsync(TimeSpan.FromSeconds(30))).State);
    }

    private static void AssertNoDriverTypes(Exception? thrown, string expectedText)
    {
        Assert.NotNull(thrown);
        var chain = new List<Exception>();
        for (var e = thrown; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        var described = string.Join(" <- ", chain.Select(e => $"{e.GetType().FullName}: {e.Message}"));
        Assert.DoesNotContain(chain, e => e.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(chain, e => e.GetType().Name.Contains("CodecNotFound", StringComparison.Ordinal));
        Assert.True(described.Contains(expectedText, StringComparison.Ordinal), described);
        Assert.True(described.Contains("PostgreSQL database", StringComparison.Ordinal), described);
    }

    private static FlowDefinition OkFlow() => Flow.Linear("durable")
        .Add("test.answer", "answer", provides: "answer")
        .Add("test.big", "big", provides: "big")
        .Add("test.name", "name", provides: "name")
        .Build();

    private static FlowDefinition BadFlow() => Flow.Linear("doomed")
        .Add("test.answer", "answer", provides: "answer")
        .Add("test.explode", "explode")
        .Build();

    private async Task<Running> StartAsync()
    {
        var gateway = TestSilo.FreePort();
        var silo = TestSilo.BuildLocal(_serviceId, gateway, s => s
            .AddTaskFlow(t => t
                .AddTask("test.answer", () => 42)
                .AddTask("test.big", () => 5_000_000_000L)
                .AddTask("test.name", (int answer) => $"vm-{answer}")
                .AddTask("test.explode", (int answer) => answer > 0 ? throw new InvalidOperationException("no capacity for " + answer) : answer))
            .AddTaskFlowPostgreSql(o =>
            {
                o.ConnectionString = _schema!;
                o.UseReminders = true; // flows register a resume reminder; here it lives in our reminders table
            }));
        await silo.StartAsync();
        return new Running(silo, await TestSilo.StartClientAsync(_serviceId, gateway));
    }

    private sealed record Running(IHost Silo, IHost Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.StopAsync();
            Client.Dispose();
            await Silo.StopAsync();
            Silo.Dispose();
        }
    }
}
