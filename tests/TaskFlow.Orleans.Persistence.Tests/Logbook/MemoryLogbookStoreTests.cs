using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

public sealed class MemoryLogbookStoreFixture : LogbookStoreFixture
{
    // The memory store has no ServiceId: a store per ServiceId is what isolation means for it.
    protected override ILogbookStore Create(string serviceId) => new MemoryLogbookStore();
}

/// <summary>The logbook conformance suite on the memory store: the reference semantics.</summary>
public sealed class MemoryLogbookStoreTests(MemoryLogbookStoreFixture fixture) : LogbookStoreConformance(fixture), IClassFixture<MemoryLogbookStoreFixture>;
