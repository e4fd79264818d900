using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.Persistence.AdoNet.Storage;

namespace TaskFlow.Orleans.Persistence.Tests.Storage;

/// <summary>The storage wrapper without a database: which faults it retries, and what a grain sees when retries run out.</summary>
public sealed class TaskFlowGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("taskflow-flow", "flow-1");

    private static readonly StorageFaultPolicy Policy = new("PostgreSQL database 'taskflow' at db:5432", 3, TimeSpan.FromMilliseconds(1),
        PostgreSqlDatabase.IsTransient, PostgreSqlDatabase.FailedBeforeSending);

    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    private static PostgresException ServerError(string sqlState) => new("boom", "ERROR", "ERROR", sqlState);

    [Fact]
    public async Task Write_ConnectionRefused_IsRetriedThenSucceeds()
    {
        var inner = new FailingStorage(Refused(), Refused());
        var storage = new TaskFlowGrainStorage(inner, "taskflow", Policy, NullLogger<TaskFlowGrainStorage>.Instance);

        await storage.WriteStateAsync("flow", Grain, new GrainState<int>(1));

        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Write_FailureOfUnknownOutcome_IsNotRetriedAndSurfacesAsFlowStorageException()
    {
        // 57P01: the server shut down mid-command; the write may have committed, so retrying could report a false conflict.
        var inner = new FailingStorage(ServerError("57P01"));
        var storage = new TaskFlowGrainStorage(inner, "taskflow", Policy, NullLogger<TaskFlowGrainStorage>.Instance);

        var exception = await Assert.ThrowsAsync<FlowStorageException>(() => storage.WriteStateAsync("flow", Grain, new GrainState<int>(1)));

        Assert.Equal(1, inner.Calls);
        Assert.Contains("Could not write state 'flow' of taskflow-flow/flow-1 in PostgreSQL database 'taskflow' at db:5432", exception.Message);
        Assert.Contains("PostgresException: 57P01", exception.Message);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public async Task Read_TransientFaults_AreRetriedUpToTheBound()
    {
        var inner = new FailingStorage(ServerError("57P01"), ServerError("57P01"), ServerError("57P01"), ServerError("57P01"), ServerError("57P01"));
        var storage = new TaskFlowGrainStorage(inner, "taskflow", Policy, NullLogger<TaskFlowGrainStorage>.Instance);

        var exception = await Assert.ThrowsAsync<FlowStorageException>(() => storage.ReadStateAsync("flow", Grain, new GrainState<int>()));

        Assert.Equal(4, inner.Calls);
        Assert.Contains("after 4 attempt(s)", exception.Message);
    }

    [Fact]
    public async Task Write_VersionConflict_PassesThroughUnchanged()
    {
        var conflict = new InconsistentStateException("Version conflict");
        var inner = new FailingStorage(conflict);
        var storage = new TaskFlowGrainStorage(inner, "taskflow", Policy, NullLogger<TaskFlowGrainStorage>.Instance);

        Assert.Same(conflict, await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("flow", Grain, new GrainState<int>(1))));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void WithPoolSize_AddsDefaultOnlyWhenTheConnectionStringHasNone()
    {
        Assert.Contains("Maximum Pool Size=50", PostgreSqlDatabase.WithPoolSize("Host=db;Database=taskflow", 50));
        Assert.Equal("Host=db;Max Pool Size=7", PostgreSqlDatabase.WithPoolSize("Host=db;Max Pool Size=7", 50));
        Assert.Equal("Host=db;MaxPoolSize=7", PostgreSqlDatabase.WithPoolSize("Host=db;MaxPoolSize=7", 50));
    }

    /// <summary>Throws the given exceptions in turn, then succeeds.</summary>
    private sealed class FailingStorage(params Exception[] failures) : IGrainStorage
    {
        public int Calls { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Next();

        private Task Next() => Calls++ < failures.Length ? Task.FromException(failures[Calls - 1]) : Task.CompletedTask;
    }
}
