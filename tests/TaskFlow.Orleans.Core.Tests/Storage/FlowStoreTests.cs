using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Storage;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Tests.Storage;

public sealed class FlowStoreTests
{
    // Atom 0 provides ("first", "second", "third"); atom 1 takes "value" from "third"; atom 2 takes "value" from "first".
    private static FlowStore Store() => new(new StorageSetup
    {
        Inputs = ImmutableDictionary<string, object?>.Empty,
        Atoms =
        [
            new AtomSetup { Id = 0, Name = "provide", Provides = ["first", "second", "third"] },
            new AtomSetup { Id = 1, Name = "use-third", Arguments = [new ArgumentBinding("value", ArgumentSourceKind.Result, "third", 0, 2)] },
            new AtomSetup { Id = 2, Name = "use-first", Arguments = [new ArgumentBinding("value", ArgumentSourceKind.Result, "first", 0, 0)] },
        ],
    });

    [Fact]
    public void PrepareRevert_AtomWhoseArgumentsNeverResolved_HasNothingToRevert()
    {
        var store = Store();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2 }, null));
        Assert.False(store.TryPrepareExecute(1, out _, out var missing));
        store.Save(new AtomCompletion(1, IsRevert: false, null, missing));

        var revert = store.PrepareRevert(1);

        Assert.True(revert.NothingToRevert);
        Assert.Same(missing, revert.ExecuteFailure);
    }

    [Fact]
    public void PrepareRevert_AtomThatRanAndFailed_IsRevertedWithItsArguments()
    {
        var store = Store();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2 }, null));
        store.Save(new AtomCompletion(2, IsRevert: false, null, Failure.Create("System.InvalidOperationException", "Woot!")));

        var revert = store.PrepareRevert(2);

        Assert.False(revert.NothingToRevert);
        Assert.Equal(1, revert.Arguments["value"]);
        Assert.Equal("Woot!", revert.FlowFailures["use-first"].Message);
    }

    [Fact]
    public void PrepareRevert_AtomThatSucceeded_GetsItsResult()
    {
        var store = Store();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2, 3 }, null));

        var revert = store.PrepareRevert(0);

        Assert.False(revert.NothingToRevert);
        Assert.Equal(new[] { 1, 2, 3 }, revert.Result);
        Assert.Null(revert.ExecuteFailure);
    }
}
