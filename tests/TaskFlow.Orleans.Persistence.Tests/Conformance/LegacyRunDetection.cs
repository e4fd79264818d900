using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>
/// A run stored before logbooks existed (its definition a grain-state record named <c>flow-definition</c>, written here by
/// the very grain storage provider the earlier version used) is refused with a message naming the logbook format, not
/// mistaken for an unknown run; nothing of it is changed.
/// </summary>
internal static class LegacyRunDetection
{
    public static async Task AssertRefusedAsync(StorageFixture fixture)
    {
        fixture.Require();
        var runId = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var grainId = GrainId.Create("flow", runId);
        var storage = fixture.Storage;
        var written = new GrainState<FlowDefinitionState>(SampleStates.Definition());
        await storage.WriteStateAsync("flow-definition", grainId, written);
        var logbooks = fixture.Services.GetRequiredService<ILogbookStore>();

        var refused = await Assert.ThrowsAsync<FlowStorageException>(() => logbooks.ReadAsync(runId));

        Assert.Contains($"Run '{runId}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"before logbook format {RunHeader.CurrentFormatVersion}", refused.Message, StringComparison.Ordinal);
        Assert.Null(await logbooks.ReadAsync("legacy-none-" + Guid.NewGuid().ToString("N")[..8]));
        var kept = new GrainState<FlowDefinitionState>(new FlowDefinitionState());
        await storage.ReadStateAsync("flow-definition", grainId, kept);
        Assert.Equal(written.ETag, kept.ETag);
        Assert.Equal("boot-server", kept.State?.Definition?.Name);
    }
}
