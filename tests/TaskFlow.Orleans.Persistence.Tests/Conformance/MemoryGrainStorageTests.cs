using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

public sealed class MemoryStorageFixture : StorageFixture
{
    protected override void Configure(ISiloBuilder silo) => silo.AddMemoryGrainStorage("taskflow").AddTaskFlowMemoryStorage().AddTaskFlow(_ => { });
}

/// <summary>The conformance suite on memory storage: the reference the relational backends must match.</summary>
public sealed class MemoryGrainStorageTests(MemoryStorageFixture fixture) : GrainStorageConformance(fixture), IClassFixture<MemoryStorageFixture>;
